package dev.penchant.api.users;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.penchant.support.problem.JsonSize;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

public final class UserDto {
    private UserDto() {
    }

    /** A user as written. In PUT /v1/users/{id} the id comes from the path and userId may be left out. */
    public record In(@Size(max = 256) @NotBlank(groups = Batch.class) String userId,
                     @Size(max = 200) @JsonSize Map<String, Object> attributes) {
    }

    /** Validation group for batch elements, where userId is required. */
    public interface Batch extends jakarta.validation.groups.Default {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Out(String userId, Map<String, Object> attributes, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
        static Out of(User u) {
            return new Out(u.userId, u.attributes == null ? Map.of() : u.attributes, utc(u.createdAt), utc(u.updatedAt));
        }
    }

    public record BatchResult(int created, int updated) {
    }

    static OffsetDateTime utc(OffsetDateTime t) {
        return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC);
    }
}
