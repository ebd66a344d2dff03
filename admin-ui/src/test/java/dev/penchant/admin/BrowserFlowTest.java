package dev.penchant.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser (headless Chromium): log in, launch a small DNN from the generated
 * form, watch its loss curve grow live (htmx polling, uPlot) until the job finishes, then promote the
 * model through the confirmation page (forcing it when the guard refuses, with the refusal shown).
 * Each step leaves a screenshot in target/screenshots/.
 */
@QuarkusTest
@QuarkusTestResource(ControlPlane.class)
class BrowserFlowTest {
    @TestHTTPResource("/admin")
    URL admin;

    /** Users in clusters that each favour a block of items, so a DNN learns something in a few epochs. */
    static void loadClusteredEvents() {
        Random r = new Random(5);
        List<Map<String, Object>> events = new ArrayList<>();
        Instant t0 = Instant.now().minus(Duration.ofDays(10));
        int users = 160, items = 120, clusters = 6;
        for (int u = 0; u < users; u++) {
            int c = u % clusters;
            for (int e = 0; e < 18; e++) {
                int item = r.nextDouble() < 0.85 ? c * (items / clusters) + r.nextInt(items / clusters) : r.nextInt(items);
                events.add(Map.of("eventId", "b-" + u + "-" + e, "userId", "bu" + u, "itemId", "bi" + item, "type", "click",
                        "timestamp", t0.plusSeconds(u * 600L + e * 30L).toString()));
            }
        }
        ConsoleTest.api("POST", "/v1/events", events).then().statusCode(200);
    }

    @Test
    void logInLaunchAJobWatchTheCurveAndPromoteTheModel() throws Exception {
        Assumptions.assumeTrue(Browser.available(), "chromium and chromium-driver are not installed (.ci/run installs them)");
        loadClusteredEvents();
        String base = admin.toString().replaceFirst("/admin$", "");
        try (Browser b = new Browser()) {
            var d = b.driver;
            WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(20));
            d.get(base + "/admin/jobs");
            assertTrue(d.getCurrentUrl().contains("/admin/login"), d.getCurrentUrl());
            d.findElement(By.name("username")).sendKeys(ControlPlane.ADMIN_USER);
            d.findElement(By.name("password")).sendKeys(ControlPlane.ADMIN_PASSWORD);
            b.shot("01-login");
            d.findElement(By.cssSelector("form.login button")).click();
            wait.until(x -> x.getCurrentUrl().endsWith("/admin/jobs"));
            b.shot("02-jobs");

            d.findElement(By.id("launch-link")).click();
            new Select(d.findElement(By.id("type"))).selectByValue("dnn");
            d.findElement(By.id("choose")).click();
            wait.until(x -> !x.findElements(By.id("launch")).isEmpty());
            // a bad value first: the server's message appears beside the field
            set(d.findElement(By.id("hp.epochs")), "0");
            d.findElement(By.id("submit-job")).click();
            WebElement err = wait.until(x -> x.findElement(By.id("error-hp.epochs")));
            assertTrue(err.getText().contains("1.."), err.getText());
            b.shot("03-launch-form-error");
            for (var e : Map.of("hp.epochs", "6", "hp.dim", "16", "hp.hidden", "32", "hp.negatives", "32", "hp.patience", "10",
                    "hp.deterministic", "true").entrySet()) {
                WebElement el = d.findElement(By.id(e.getKey()));
                if (el.getTagName().equals("select")) new Select(el).selectByValue(e.getValue());
                else set(el, e.getValue());
            }
            set(d.findElement(By.id("eventTypes")), "click");
            d.findElement(By.id("submit-job")).click();
            wait.until(x -> x.getCurrentUrl().matches(".*/admin/jobs/\\d+$"));
            b.shot("04-job-queued");

            // the curve grows while the job runs: htmx swaps the progress fragment, uPlot redraws it
            WebDriverWait training = new WebDriverWait(d, Duration.ofSeconds(180));
            training.until(x -> points(x, "loss-chart") >= 2
                    || status(x).equals("succeeded") || status(x).equals("failed"));
            if (status(d).equals("running")) b.shot("05-job-running-curve");
            training.until(x -> !List.of("queued", "running").contains(status(x)));
            assertEquals("succeeded", status(d), d.findElements(By.id("job-error")).isEmpty() ? "" : d.findElement(By.id("job-error")).getText());
            assertTrue(points(d, "loss-chart") >= 2, "loss curve has its epochs");
            b.shot("06-job-succeeded");

            d.findElement(By.id("model-link")).click();
            wait.until(x -> !x.findElements(By.id("promote-link")).isEmpty());
            b.shot("07-model");
            d.findElement(By.id("promote-link")).click();
            wait.until(x -> !x.findElements(By.id("confirm")).isEmpty());
            b.shot("08-promote-confirm");
            d.findElement(By.id("confirm")).click();
            wait.until(x -> !x.findElements(By.id("msg")).isEmpty() || !x.findElements(By.id("refusal")).isEmpty());
            if (!d.findElements(By.id("refusal")).isEmpty()) {
                // the guard's reason is on the page; an admin may still force it, through the same confirmation
                assertTrue(d.findElement(By.id("refusal")).getText().contains("popularity"), d.findElement(By.id("refusal")).getText());
                b.shot("09-promotion-refused");
                d.findElement(By.id("force-link")).click();
                wait.until(x -> !x.findElements(By.id("confirm")).isEmpty());
                d.findElement(By.id("confirm")).click();
                wait.until(x -> !x.findElements(By.id("msg")).isEmpty());
            }
            assertTrue(d.findElement(By.id("msg")).getText().startsWith("Promoted"), d.findElement(By.id("msg")).getText());
            b.shot("10-promoted");

            d.get(base + "/admin");
            wait.until(x -> !x.findElements(By.id("promoted")).isEmpty());
            b.shot("11-overview");
            d.get(base + "/admin/access/audit?action=model.promoted");
            assertTrue(d.findElement(By.id("audit")).getText().contains("user:admin"), "audited under the console user's name");
            b.shot("12-audit");
        }
    }

    private static void set(WebElement el, String value) {
        el.clear();
        el.sendKeys(value);
    }

    /** The job's status; htmx may swap the fragment between finding the element and reading it. */
    private static String status(org.openqa.selenium.WebDriver d) {
        for (int i = 0; ; i++) {
            try {
                return d.findElement(By.id("status")).getText();
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                if (i > 10) throw e;
            }
        }
    }

    private static int points(org.openqa.selenium.WebDriver d, String id) {
        for (int i = 0; ; i++) {
            try {
                String n = d.findElement(By.id(id)).getAttribute("data-rendered");
                return n == null ? 0 : Integer.parseInt(n);
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                if (i > 10) throw e;
            }
        }
    }
}
