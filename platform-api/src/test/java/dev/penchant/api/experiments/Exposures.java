package dev.penchant.api.experiments;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Test helper: what the inference node writes per recommendation answer (table exposures, V4), for
 * tests that need exposures without an inference node. The same row in SQL:
 * <pre>
 * insert into exposures (recommendation_id, shown_at, user_id, surface, experiment_id, variant_id, model_id,
 *                        fallback_reason, items)
 * values ('5f0c...'::uuid, now(), 'u1', 'user', 7, 12, 3, null, array['i1','i2','i3']);
 * </pre>
 */
public final class Exposures {
    private Exposures() {
    }

    /** Variant ids by name: select id from experiment_variants where experiment_id = (select id from experiments where key = ?) and name = ?. */
    public static long variantId(Pool pool, String experimentKey, String variant) {
        return pool.preparedQuery("""
                        select v.id from experiment_variants v join experiments e on e.id = v.experiment_id
                         where e.key = $1 and v.name = $2""")
                .execute(Tuple.of(experimentKey, variant)).await().indefinitely().iterator().next().getLong(0);
    }

    public static long experimentId(Pool pool, String experimentKey) {
        return pool.preparedQuery("select id from experiments where key = $1")
                .execute(Tuple.of(experimentKey)).await().indefinitely().iterator().next().getLong(0);
    }

    /** Logs one exposure of an experiment's variant (model from the variant) and returns its recommendation id. */
    public static UUID insert(Pool pool, String experimentKey, String variant, String userId, Instant shownAt, String... items) {
        UUID id = UUID.randomUUID();
        pool.preparedQuery("""
                        insert into exposures (recommendation_id, shown_at, user_id, surface, experiment_id, variant_id, model_id, items)
                        select $1, $2, $3, e.surface, e.id, v.id, v.model_id, $4
                          from experiments e join experiment_variants v on v.experiment_id = e.id
                         where e.key = $5 and v.name = $6""")
                .execute(Tuple.tuple().addUUID(id).addOffsetDateTime(OffsetDateTime.ofInstant(shownAt, ZoneOffset.UTC))
                        .addString(userId).addArrayOfString(items).addString(experimentKey).addString(variant))
                .await().indefinitely();
        return id;
    }
}
