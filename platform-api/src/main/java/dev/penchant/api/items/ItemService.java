package dev.penchant.api.items;

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

/** Items: reads through the Panache entity, writes as one upsert statement (see UserService). */
@Singleton
public class ItemService {
    // categories travel as one JSON array per item: a text[][] parameter would need equal lengths
    private static final String UPSERT = """
            insert into items (item_id, title, description, categories, attributes, available)
            select id, title, description,
                   coalesce((select array_agg(c) from jsonb_array_elements_text(cats::jsonb) c), '{}'),
                   attrs::jsonb, available
            from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bool[])
                 as t(id, title, description, cats, attrs, available)
            on conflict (item_id) do update set title = excluded.title, description = excluded.description,
                categories = excluded.categories, attributes = excluded.attributes,
                available = excluded.available, updated_at = now()
            returning (xmax = 0) as inserted""";

    private final Pool pool;
    private final ObjectMapper mapper;

    public ItemService(Pool pool, ObjectMapper mapper) {
        this.pool = pool;
        this.mapper = mapper;
    }

    public Uni<ItemDto.Out> get(String id) {
        return Panache.withSession(() -> Item.<Item>findById(id))
                .onItem().ifNull().failWith(() -> ProblemException.notFound("No item '" + id + "'"))
                .map(ItemDto.Out::of);
    }

    public Uni<Page<ItemDto.Out>> list(int limit, String cursor) {
        String after = cursor == null ? null : Cursor.decodeId(cursor);
        return Panache.withSession(() -> (after == null
                        ? Item.<Item>find("order by itemId")
                        : Item.<Item>find("itemId > ?1 order by itemId", after))
                .range(0, limit).list())
                .map(items -> {
                    List<ItemDto.Out> out = items.stream().limit(limit).map(ItemDto.Out::of).toList();
                    String next = items.size() > limit ? Cursor.encode(out.get(out.size() - 1).itemId()) : null;
                    return new Page<>(out, next);
                });
    }

    public Uni<Boolean> put(String id, ItemDto.In in) {
        if (in.itemId() != null && !in.itemId().equals(id)) {
            throw ProblemException.badRequest("itemId in the body differs from the path",
                    List.of(Problem.FieldError.of("itemId", "must equal the id in the path or be left out")));
        }
        return upsert(List.of(new ItemDto.In(id, in.title(), in.description(), in.categories(), in.attributes(),
                in.available()))).map(r -> r.created() == 1);
    }

    /** Upserts a batch in one statement; a later entry for the same id wins. */
    public Uni<ItemDto.BatchResult> upsert(List<ItemDto.In> items) {
        Map<String, ItemDto.In> byId = new LinkedHashMap<>();
        for (ItemDto.In i : items) {
            byId.put(i.itemId(), i);
        }
        int n = byId.size();
        String[] ids = new String[n], titles = new String[n], descriptions = new String[n], cats = new String[n],
                attrs = new String[n];
        Boolean[] available = new Boolean[n];
        int k = 0;
        for (ItemDto.In i : byId.values()) {
            ids[k] = i.itemId();
            titles[k] = i.title();
            descriptions[k] = i.description();
            cats[k] = json(i.categories() == null ? List.of() : i.categories());
            attrs[k] = json(i.attributes() == null ? Map.of() : i.attributes());
            available[k] = i.available() == null || i.available();
            k++;
        }
        Tuple args = Tuple.tuple().addArrayOfString(ids).addArrayOfString(titles).addArrayOfString(descriptions)
                .addArrayOfString(cats).addArrayOfString(attrs).addArrayOfBoolean(available);
        return pool.preparedQuery(UPSERT).execute(args).map(rows -> {
            int created = 0;
            for (Row r : rows) {
                if (r.getBoolean(0)) {
                    created++;
                }
            }
            return new ItemDto.BatchResult(created, rows.rowCount() - created);
        });
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
