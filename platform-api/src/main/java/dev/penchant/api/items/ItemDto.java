package dev.penchant.api.items;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.penchant.support.problem.JsonSize;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

public final class ItemDto {
    private ItemDto() {
    }

    /** An item as written; in PUT /v1/items/{id} itemId may be left out. available defaults to true. */
    public record In(@Size(max = 256) @NotBlank(groups = Batch.class) String itemId,
                     @Size(max = 1000) String title,
                     @Size(max = 100_000) String description,
                     @Size(max = 100) List<@NotBlank @Size(max = 256) String> categories,
                     @Size(max = 200) @JsonSize Map<String, Object> attributes,
                     Boolean available) {
    }

    /** Validation group for batch elements, where itemId is required. */
    public interface Batch extends jakarta.validation.groups.Default {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Out(String itemId, String title, String description, List<String> categories,
                      Map<String, Object> attributes, boolean available, OffsetDateTime createdAt,
                      OffsetDateTime updatedAt) {
        static Out of(Item i) {
            return new Out(i.itemId, i.title, i.description, i.categories == null ? List.of() : List.of(i.categories),
                    i.attributes == null ? Map.of() : i.attributes, i.available, utc(i.createdAt), utc(i.updatedAt));
        }
    }

    public record BatchResult(int created, int updated) {
    }

    static OffsetDateTime utc(OffsetDateTime t) {
        return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC);
    }
}
