package dev.penchant.api.events;

import dev.penchant.api.privacy.PrivacyConfig;
import dev.penchant.api.privacy.PrivacyHash;
import dev.penchant.support.problem.Problem;
import dev.penchant.support.problem.Problem.FieldError;
import dev.penchant.support.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.inject.Singleton;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The ingest hot path, straight on the reactive pool. A batch is one INSERT statement, hence one
 * transaction: event ids go into event_keys first (ON CONFLICT DO NOTHING), and only the ids that
 * were new flow, through a data-modifying CTE, into events; the statement answers how many of each
 * type it stored (for the metrics). The response is sent after that statement has committed, so an
 * acknowledged event is durable and a retried one is a duplicate.
 * Rows are inserted in the order of the batch, so each event's seq (its default, a sequence) keeps the
 * order it was sent in: readers order equal times by it.
 */
@Singleton
public class EventIngestService {
    private static final Logger LOG = Logger.getLogger(EventIngestService.class);

    static final String INSERT = """
            with input as (
                select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[],
                                     $6::timestamptz[], $7::text[], $8::uuid[], $9::text[]) with ordinality
                       as t(event_id, user_id, item_id, type, value, occurred_at, context, recommendation_id, subject, ord)
            ), blocked as (
                select distinct i.subject from input i join privacy_suppressions s on s.subject_hash = i.subject
            ), admitted as (
                select i.* from input i
                 where not exists (select 1 from privacy_suppressions s where s.subject_hash = i.subject)
                   and not exists (select 1 from privacy_event_tombstones t
                                    where t.event_hash = sha256($10::bytea || convert_to(i.event_id, 'UTF8')))
                   and ($11 or not exists (select 1 from blocked))
            ), fresh as (
                insert into event_keys (event_id, user_id, occurred_at)
                select event_id, user_id, occurred_at from admitted
                on conflict (event_id) do nothing
                returning event_id
            ), stored as (
                insert into events (event_id, user_id, item_id, type, value, occurred_at, context, recommendation_id)
                select i.event_id, i.user_id, i.item_id, i.type, i.value, i.occurred_at, i.context::jsonb,
                       i.recommendation_id
                from admitted i join fresh f on f.event_id = i.event_id
                order by i.ord
                returning type
            )
            select type, count(*)::int, null::text from stored group by type
            union all
            select null, 0, subject from blocked
            """;

    private final Pool pool;
    private final IngestMetrics metrics;
    private final PrivacyHash privacy;
    private final boolean dropSuppressed;
    /** Months (year * 12 + month - 1, UTC) whose partition this process has seen exist. */
    private final Set<Integer> knownMonths = ConcurrentHashMap.newKeySet();

    public EventIngestService(Pool pool, IngestMetrics metrics, PrivacyHash privacy, PrivacyConfig privacyConfig) {
        this.pool = pool;
        this.metrics = metrics;
        this.privacy = privacy;
        this.dropSuppressed = privacyConfig.suppressedEvents() == PrivacyConfig.SuppressedEvents.drop;
    }

    /**
     * duplicates: events not stored because their id was stored before (or belonged to an event deleted by a
     * privacy request: its tombstone); suppressed: events of users deleted at their request, dropped
     * (penchant.privacy.suppressed-events=drop).
     */
    public record Result(int accepted, int duplicates, int suppressed) {
    }

    public Uni<Result> ingest(EventBatch batch) {
        if (batch.size() == 0) {
            metrics.stored(batch.receivedByType(), java.util.Map.of());
            return Uni.createFrom().item(new Result(0, batch.received(), 0));
        }
        return ensurePartitions(batch, false)
                .chain(() -> insert(batch))
                .onFailure(EventIngestService::missingPartition).recoverWithUni(e -> {
                    // a partition was dropped behind our back (retention): forget what we knew, retry once
                    LOG.warnf("ingest hit a missing partition (%s); re-checking partitions", e.getMessage());
                    knownMonths.clear();
                    return ensurePartitions(batch, true).chain(() -> insert(batch));
                });
    }

    private Uni<Result> insert(EventBatch b) {
        // keyed hashes of the batch's users, to check against the suppression list in the same statement
        String[] subjects = new String[b.size()];
        Map<String, String> byUser = new HashMap<>();
        for (int i = 0; i < subjects.length; i++) subjects[i] = byUser.computeIfAbsent(b.userIds()[i], privacy::subject);
        Tuple args = Tuple.tuple()
                .addArrayOfString(b.eventIds())
                .addArrayOfString(b.userIds())
                .addArrayOfString(b.itemIds())
                .addArrayOfString(b.types())
                .addArrayOfDouble(b.values())
                .addArrayOfOffsetDateTime(b.timestamps())
                .addArrayOfString(b.contexts())
                .addArrayOfUUID(b.recommendationIds())
                .addArrayOfString(subjects)
                .addBuffer(Buffer.buffer(privacy.tombstoneKey()))
                .addBoolean(dropSuppressed);
        return pool.preparedQuery(INSERT).execute(args).map(rows -> {
            Map<String, Integer> accepted = new HashMap<>();
            Set<String> blocked = new HashSet<>();
            int total = 0;
            for (io.vertx.mutiny.sqlclient.Row r : rows) {
                if (r.getString(2) != null) {
                    blocked.add(r.getString(2));
                    continue;
                }
                accepted.put(r.getString(0), r.getInteger(1));
                total += r.getInteger(1);
            }
            int suppressed = 0;
            List<FieldError> refused = new ArrayList<>();
            for (int i = 0; i < subjects.length; i++) {
                if (!blocked.contains(subjects[i])) continue;
                suppressed++;
                if (refused.size() < 100) refused.add(new FieldError("userId", i, SUPPRESSED));
            }
            if (suppressed > 0 && !dropSuppressed) {
                metrics.rejected(Map.of("suppressed", suppressed));
                throw new ProblemException(422, Problem.type("suppressed-user"), "Suppressed user",
                        suppressed + " event(s) name users whose data was deleted at their request; nothing was stored "
                                + "(penchant.privacy.suppressed-events=reject)", refused);
            }
            metrics.stored(b.receivedByType(), accepted);
            if (suppressed > 0) metrics.suppressed(suppressed);
            return new Result(total, b.received() - total - suppressed, suppressed);
        });
    }

    static final String SUPPRESSED = "this user's data was deleted at their request; their events are not accepted";

    /**
     * Creates the monthly partitions this batch needs and this process has not seen, in its own short
     * statement before the insert: partition creation locks the events table exclusively, and
     * holding that for a whole batch insert would stall every other ingest (and two such
     * transactions taking months in different orders could deadlock). An empty partition left by a
     * failed insert is harmless.
     */
    private Uni<Void> ensurePartitions(EventBatch b, boolean all) {
        List<OffsetDateTime> missing = new ArrayList<>();
        List<Integer> months = new ArrayList<>();
        for (OffsetDateTime t : b.timestamps()) {
            OffsetDateTime u = t.withOffsetSameInstant(ZoneOffset.UTC);
            int month = u.getYear() * 12 + u.getMonthValue() - 1;
            if ((all || !knownMonths.contains(month)) && !months.contains(month)) {
                months.add(month);
                missing.add(u);
            }
        }
        if (missing.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        missing.sort(null);
        return pool.preparedQuery("select ensure_event_partitions($1::timestamptz[])")
                .execute(Tuple.tuple().addArrayOfOffsetDateTime(missing.toArray(OffsetDateTime[]::new)))
                // Concurrent creators race: ensure_event_partition's second to_regclass can miss a partition
                // another node just committed (its catalog cache is only refreshed when CREATE locks the parent),
                // so CREATE fails with 42P07; and creators of different months can deadlock (40P01). Both are
                // cured by running again.
                .onFailure(EventIngestService::partitionRace).retry().atMost(3)
                .invoke(() -> knownMonths.addAll(months))
                .replaceWithVoid();
    }

    private static boolean partitionRace(Throwable e) {
        return e instanceof PgException pg && ("42P07".equals(pg.getSqlState()) || "40P01".equals(pg.getSqlState()));
    }

    private static boolean missingPartition(Throwable e) {
        return e instanceof PgException pg && "23514".equals(pg.getSqlState())
                && pg.getMessage() != null && pg.getMessage().contains("no partition");
    }
}
