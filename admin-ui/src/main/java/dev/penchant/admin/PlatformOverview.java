package dev.penchant.admin;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

/** The numbers the admin home page shows, read in one round trip. */
@ApplicationScoped
public class PlatformOverview {
    private final Pool pool;

    public PlatformOverview(Pool pool) {
        this.pool = pool;
    }

    public record Counts(long users, long items, long events, long queuedJobs, long runningJobs,
                         long models, long promotedModels, long pendingPrivacyRequests) {
    }

    public Uni<Counts> counts() {
        return pool.query("""
                select (select count(*) from users) as users,
                       (select count(*) from items) as items,
                       (select count(*) from event_keys) as events,
                       (select count(*) from training_jobs where status = 'queued') as queued,
                       (select count(*) from training_jobs where status = 'running') as running,
                       (select count(*) from models) as models,
                       (select count(*) from models where status = 'promoted') as promoted,
                       (select count(*) from privacy_requests where status in ('pending','running')) as privacy
                """).execute().map(rows -> {
            Row r = rows.iterator().next();
            return new Counts(r.getLong("users"), r.getLong("items"), r.getLong("events"), r.getLong("queued"),
                    r.getLong("running"), r.getLong("models"), r.getLong("promoted"), r.getLong("privacy"));
        });
    }
}
