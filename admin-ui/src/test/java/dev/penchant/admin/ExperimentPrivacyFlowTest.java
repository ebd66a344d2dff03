package dev.penchant.admin;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The experiment and privacy pages in a real browser: create an A/B experiment from the form (a bad
 * weight first: platform-api's message appears on the form), start it, read its results once exposures
 * and attributed clicks exist (the figures must be the statistics engine's, as platform-api answers
 * them), conclude it (a refusal shown, then the winner); then file an export and a deletion request,
 * watch both complete live and download the export. Screenshots go to target/screenshots/.
 */
@QuarkusTest
@QuarkusTestResource(ControlPlane.class)
class ExperimentPrivacyFlowTest {
    static final String KEY = "browser-ab";
    static final int USERS_PER_ARM = 20;
    static final int EXPOSURES_PER_USER = 3;

    @TestHTTPResource("/admin")
    URL admin;

    @Test
    void createStartReadResultsAndConcludeAnExperimentThenFileAndFollowPrivacyRequests() throws Exception {
        Assumptions.assumeTrue(Browser.available(), "chromium and chromium-driver are not installed (.ci/run installs them)");
        String base = admin.toString().replaceFirst("/admin$", "");
        try (Browser b = new Browser()) {
            WebDriver d = b.driver;
            WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(30));
            // a form's answer replaces the page under an element being read: look again
            wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
            d.get(base + "/admin/login");
            d.findElement(By.name("username")).sendKeys(ControlPlane.ADMIN_USER);
            d.findElement(By.name("password")).sendKeys(ControlPlane.ADMIN_PASSWORD);
            d.findElement(By.cssSelector("form.login button")).click();
            wait.until(x -> x.getCurrentUrl().endsWith("/admin"));

            // --- the experiment form: the weights sum to 1.2 first
            d.findElement(By.id("nav-experiments")).click();
            wait.until(x -> !x.findElements(By.id("new-experiment")).isEmpty());
            d.findElement(By.id("new-experiment")).click();
            wait.until(x -> !x.findElements(By.id("experiment-form")).isEmpty());
            set(d.findElement(By.id("key")), KEY);
            set(d.findElement(By.id("hypothesis")), "popular items get more clicks than what we serve");
            new Select(d.findElement(By.id("primaryMetric"))).selectByValue("ctr");
            set(d.findElement(By.id("v0.weight")), "0.7");
            set(d.findElement(By.id("v1.name")), "treatment");
            new Select(d.findElement(By.id("v1.arm"))).selectByValue("baseline:popularity");
            d.findElement(By.id("create-experiment")).click();
            WebElement err = wait.until(x -> x.findElement(By.id("error-variants")));
            assertTrue(err.getText().contains("sum to 1"), err.getText());
            b.shot("e01-experiment-form-error");
            set(d.findElement(By.id("v0.weight")), "0.5");
            d.findElement(By.id("create-experiment")).click();
            wait.until(x -> x.getCurrentUrl().endsWith("/admin/experiments/" + KEY));
            wait.until(x -> x.findElement(By.id("experiment-status")).getText().equals("draft"));
            assertTrue(d.findElement(By.id("no-results")).isDisplayed());
            b.shot("e02-experiment-draft");

            d.findElement(By.id("start")).click();
            wait.until(x -> x.findElement(By.id("experiment-status")).getText().equals("running"));
            assertTrue(wait.until(x -> x.findElement(By.id("msg"))).getText().startsWith("Started"), d.findElement(By.id("msg")).getText());

            // --- what inference nodes and the shop would write: exposures per variant, clicks on some of them
            int[] clicks = {10, 25};
            exposuresAndClicks(clicks);
            d.navigate().refresh();
            wait.until(x -> !x.findElements(By.id("metric-ctr")).isEmpty());
            b.shot("e03-experiment-results");
            String totals = d.findElement(By.id("totals")).getText();
            assertTrue(totals.contains("control " + USERS_PER_ARM + " " + USERS_PER_ARM * EXPOSURES_PER_USER + " " + clicks[0]), totals);
            assertTrue(totals.contains("treatment " + USERS_PER_ARM + " " + USERS_PER_ARM * EXPOSURES_PER_USER + " " + clicks[1]), totals);
            // the page shows the engine's answer, as platform-api gives it
            var api = ConsoleTest.api("GET", "/v1/experiments/" + KEY + "/results", null).jsonPath();
            double lift = api.getDouble("metrics.ctr.variants.find { it.name == 'treatment' }.relative.lift");
            double lower = api.getDouble("metrics.ctr.variants.find { it.name == 'treatment' }.relative.ciLower");
            WebElement row = d.findElement(By.cssSelector("#metric-ctr tr[data-variant='treatment']"));
            assertEquals(Formats.pct(lift), row.findElement(By.cssSelector("td.lift")).getText());
            assertTrue(lift > 1.0, "25 vs 10 clicks on 60 exposures each: +150% " + lift);
            assertEquals(lower > 0 ? "better" : "inconclusive", row.findElement(By.cssSelector("td.verdict")).getText().split(" ")[0]);

            // --- conclude: the popularity baseline has no model to promote (refused, reason shown), 'current' does
            d.findElement(By.id("conclude-link")).click();
            wait.until(x -> !x.findElements(By.id("conclude-form")).isEmpty());
            new Select(d.findElement(By.id("winner"))).selectByValue("treatment");
            d.findElement(By.id("confirm")).click();
            WebElement refusal = wait.until(x -> x.findElement(By.id("refusal")));
            assertTrue(refusal.getText().contains("no registered model"), refusal.getText());
            b.shot("e04-conclude-refused");
            new Select(d.findElement(By.id("winner"))).selectByValue("control");
            d.findElement(By.id("confirm")).click();
            wait.until(x -> x.getCurrentUrl().contains("/admin/experiments/" + KEY + "?msg="));
            wait.until(x -> x.findElement(By.id("experiment-status")).getText().equals("concluded"));
            assertEquals("control", d.findElement(By.id("winner")).getText());
            b.shot("e05-concluded");
            d.get(base + "/admin/access/audit?action=experiment.winner-promoted");
            assertTrue(wait.until(x -> x.findElement(By.id("audit"))).getText().contains("user:admin"), d.findElement(By.id("audit")).getText());

            // --- privacy: an export, then a deletion (which needs its confirmation)
            events("xp-exp", 5);
            events("xp-del", 7);
            d.get(base + "/admin");
            wait.until(x -> x.findElement(By.id("nav-privacy"))).click();
            wait.until(x -> !x.findElements(By.id("new-request")).isEmpty());
            d.findElement(By.id("new-request")).click();
            new Select(wait.until(x -> x.findElement(By.id("kind")))).selectByValue("export");
            set(d.findElement(By.id("userId")), "xp-exp");
            d.findElement(By.id("submit-request")).click();
            wait.until(x -> x.getCurrentUrl().matches(".*/admin/privacy/\\d+\\?msg=.*"));
            new WebDriverWait(d, Duration.ofSeconds(60)).until(x -> status(x).equals("completed") || status(x).equals("failed"));
            assertEquals("completed", status(d));
            WebElement link = wait.until(x -> x.findElement(By.id("export-link")));
            b.shot("p01-export-completed");
            Object doc = ((org.openqa.selenium.JavascriptExecutor) d).executeAsyncScript(
                    "var done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => r.text()).then(done);",
                    link.getAttribute("href"));
            assertTrue(String.valueOf(doc).contains("xp-exp"), "the export names its user: " + doc);
            assertTrue(String.valueOf(doc).contains("events"), String.valueOf(doc));

            d.get(base + "/admin/privacy/new?kind=delete");
            set(wait.until(x -> x.findElement(By.id("userId"))), "xp-del");
            d.findElement(By.id("submit-request")).click();
            wait.until(x -> x.findElement(By.id("error-confirm")));
            b.shot("p02-delete-needs-confirmation");
            set(d.findElement(By.id("userId")), "xp-del");
            d.findElement(By.id("confirm-delete")).click();
            d.findElement(By.id("submit-request")).click();
            wait.until(x -> x.getCurrentUrl().matches(".*/admin/privacy/\\d+\\?msg=.*"));
            new WebDriverWait(d, Duration.ofSeconds(90)).until(x -> status(x).equals("completed") || status(x).equals("failed"));
            assertEquals("completed", status(d), d.findElements(By.id("request-error")).isEmpty() ? ""
                    : d.findElement(By.id("request-error")).getText());
            assertTrue(!d.findElements(By.id("verification")).isEmpty(), "the deletion shows its verification");
            assertTrue(!d.getPageSource().contains("xp-del"), "the request's page shows the keyed hash, not the user id");
            b.shot("p03-delete-completed");
            assertEquals(0, ConsoleTest.api("GET", "/v1/users/xp-del/events", null).then().extract().jsonPath()
                    .getList("items").size(), "the user's events are gone");

            d.get(base + "/admin/privacy");
            String list = wait.until(x -> x.findElement(By.id("privacy-requests"))).getText();
            assertTrue(list.contains("export") && list.contains("delete") && list.contains("completed"), list);
            b.shot("p04-privacy-requests");
        }
    }

    /** USERS_PER_ARM users per variant, EXPOSURES_PER_USER exposures each, then clicks[v] attributed clicks. */
    private static void exposuresAndClicks(int[] clicks) throws Exception {
        List<Map<String, Object>> events = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(ControlPlane.jdbcUrl, "postgres", "")) {
            long experiment;
            List<Long> variants = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select e.id, v.id from experiments e join experiment_variants v "
                    + "on v.experiment_id = e.id where e.key = ? order by v.position")) {
                ps.setString(1, KEY);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    experiment = rs.getLong(1);
                    do variants.add(rs.getLong(2)); while (rs.next());
                }
            }
            Instant shown = Instant.now();
            try (PreparedStatement ps = c.prepareStatement("insert into exposures (recommendation_id, shown_at, user_id, "
                    + "surface, experiment_id, variant_id, items) values (?, ?, ?, 'user', ?, ?, '{i1,i2}')")) {
                for (int v = 0; v < 2; v++) {
                    int left = clicks[v];
                    for (int u = 0; u < USERS_PER_ARM; u++) {
                        String user = "xv" + v + "-" + u;
                        for (int x = 0; x < EXPOSURES_PER_USER; x++) {
                            UUID rec = UUID.randomUUID();
                            ps.setObject(1, rec);
                            ps.setObject(2, java.sql.Timestamp.from(shown));
                            ps.setString(3, user);
                            ps.setLong(4, experiment);
                            ps.setLong(5, variants.get(v));
                            ps.addBatch();
                            if (left-- > 0) {
                                Map<String, Object> e = new HashMap<>();
                                e.put("eventId", "xc-" + rec);
                                e.put("userId", user);
                                e.put("itemId", "i1");
                                e.put("type", "click");
                                e.put("recommendationId", rec.toString());
                                e.put("timestamp", shown.plusSeconds(1).toString());
                                events.add(e);
                            }
                        }
                    }
                }
                ps.executeBatch();
            }
        }
        Thread.sleep(1100); // the clicks' timestamps are one second after the exposures: not in the future
        ConsoleTest.api("POST", "/v1/events", events).then().statusCode(200);
    }

    private static void events(String user, int n) {
        List<Map<String, Object>> events = new ArrayList<>();
        Instant t = Instant.now().minus(Duration.ofHours(1));
        for (int i = 0; i < n; i++) {
            events.add(Map.of("eventId", "xp-" + user + "-" + i, "userId", user, "itemId", "bi" + i, "type", "click",
                    "timestamp", t.plusSeconds(i).toString()));
        }
        ConsoleTest.api("POST", "/v1/events", events).then().statusCode(200);
    }

    private static void set(WebElement el, String value) {
        el.clear();
        el.sendKeys(value);
    }

    /** The request's status; htmx may swap the fragment between finding the element and reading it. */
    private static String status(WebDriver d) {
        for (int i = 0; ; i++) {
            try {
                return d.findElement(By.id("status")).getText();
            } catch (org.openqa.selenium.StaleElementReferenceException | org.openqa.selenium.NoSuchElementException e) {
                if (i > 10) throw e;
            }
        }
    }
}
