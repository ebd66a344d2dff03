package dev.penchant.api.users;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.penchant.api.common.Cursor;
import dev.penchant.api.common.Page;
import dev.penchant.support.problem.Problem;
import dev.penchant.support.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Users. Reads go through the Panache entity; writes are one upsert statement (INSERT ... ON
 * CONFLICT DO UPDATE), so concurrent creators of one id cannot collide and a batch is one round trip.
 */
@Singleton
public class UserService {
    private static final String UPSERT = """
            insert into users (user_id, attributes)
            select id, attrs::jsonb from unnest($1::text[], $2::text[]) as t(id, attrs)
            on conflict (user_id) do update set attributes = excluded.attributes, updated_at = now()
            returning (xmax = 0) as inserted""";

    private final Pool pool;
    private final ObjectMapper mapper;
    private final dev.penchant.api.privacy.PrivacyHash privacy;

    public UserService(Pool pool, ObjectMapper mapper, dev.penchant.api.privacy.PrivacyHash privacy) {
        this.pool = pool;
        this.mapper = mapper;
        this.privacy = privacy;
    }

    public Uni<UserDto.Out> get(String id) {
        return Panache.withSession(() -> User.<User>findById(id))
                .onItem().ifNull().failWith(() -> ProblemException.notFound("No user '" + id + "'"))
                .map(UserDto.Out::of);
    }

    public Uni<Page<UserDto.Out>> list(int limit, String cursor) {
        String after = cursor == null ? null : Cursor.decodeId(cursor);
        return Panache.withSession(() -> (after == null
                        ? User.<User>find("order by userId")
                        : User.<User>find("userId > ?1 order by userId", after))
                .range(0, limit).list())
                .map(users -> {
                    List<UserDto.Out> out = users.stream().limit(limit).map(UserDto.Out::of).toList();
                    String next = users.size() > limit ? Cursor.encode(out.get(out.size() - 1).userId()) : null;
                    return new Page<>(out, next);
                });
    }

    /** Creates or replaces one user; true when it was created. */
    public Uni<Boolean> put(String id, UserDto.In in) {
        if (in.userId() != null && !in.userId().equals(id)) {
            throw ProblemException.badRequest("userId in the body differs from the path",
                    List.of(Problem.FieldError.of("userId", "must equal the id in the path or be left out")));
        }
        return upsert(List.of(new UserDto.In(id, in.attributes()))).map(r -> r.created() == 1);
    }

    /** Upserts a batch in one statement; a later entry for the same id wins. */
    public Uni<UserDto.BatchResult> upsert(List<UserDto.In> users) {
        Map<String, UserDto.In> byId = new LinkedHashMap<>();
        for (UserDto.In u : users) {
            byId.put(u.userId(), u);
        }
        String[] ids = byId.keySet().toArray(String[]::new);
        String[] attrs = byId.values().stream().map(u -> json(u.attributes())).toArray(String[]::new);
        String[] subjects = java.util.Arrays.stream(ids).map(privacy::subject).toArray(String[]::new);
        // a user deleted at their request is not re-created (the suppression list, keyed hashes)
        return pool.preparedQuery("select subject_hash from privacy_suppressions where subject_hash = any($1::text[])")
                .execute(Tuple.tuple().addArrayOfString(subjects)).chain(found -> {
                    if (found.size() > 0) {
                        java.util.Set<String> hit = new java.util.HashSet<>();
                        for (Row r : found) hit.add(r.getString(0));
                        List<Problem.FieldError> errors = new java.util.ArrayList<>();
                        for (int i = 0; i < subjects.length; i++) {
                            if (hit.contains(subjects[i])) {
                                errors.add(new Problem.FieldError("userId", i, "this user's data was deleted at their request"));
                            }
                        }
                        throw new ProblemException(422, Problem.type("suppressed-user"), "Suppressed user",
                                "Users deleted at their request are not stored again; nothing was stored", errors);
                    }
                    return upsertNow(ids, attrs);
                });
    }

    private Uni<UserDto.BatchResult> upsertNow(String[] ids, String[] attrs) {
        return pool.preparedQuery(UPSERT).execute(Tuple.tuple().addArrayOfString(ids).addArrayOfString(attrs))
                .map(rows -> {
                    int created = 0;
                    for (Row r : rows) {
                        if (r.getBoolean(0)) {
                            created++;
                        }
                    }
                    return new UserDto.BatchResult(created, rows.rowCount() - created);
                });
    }

    private String json(Map<String, Object> attributes) {
        try {
            return mapper.writeValueAsString(attributes == null ? Map.of() : attributes);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
