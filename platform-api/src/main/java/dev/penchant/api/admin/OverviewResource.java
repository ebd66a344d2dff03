package dev.penchant.api.admin;

import dev.penchant.support.security.Roles;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The counts the console's overview shows, read in one round trip. */
@Path("/v1/admin/overview")
@Produces(MediaType.APPLICATION_JSON)
public class OverviewResource {
    private final Pool pool;

    public OverviewResource(Pool pool) {
        this.pool = pool;
    }

    public record Overview(long users, long items, long events, long queuedJobs, long runningJobs,
                           long models, long promotedModels, long openPrivacyRequests) {
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.ANALYST})
    @Operation(summary = "Counts of users, items, events, jobs, models and open privacy requests")
    public Uni<Overview> overview() {
        return pool.query("""
                select (select count(*) from users) as users,
                       (select count(*) from items) as items,
                       (select count(*) from event_keys) as events,
                       (select count(*) from training_jobs where status = 'queued') as queued,
                       (select count(*) from training_jobs where status = 'running') as running,
                       (select count(*) from models) as models,
                       (select count(*) from models where status = 'promoted') as promoted,
                       (select count(*) from privacy_requests where status in ('received', 'in_progress')) as privacy
                """).execute().map(rows -> {
            Row r = rows.iterator().next();
            return new Overview(r.getLong("users"), r.getLong("items"), r.getLong("events"), r.getLong("queued"),
                    r.getLong("running"), r.getLong("models"), r.getLong("promoted"), r.getLong("privacy"));
        });
    }
}
