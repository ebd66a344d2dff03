package dev.penchant.api.privacy;

import java.util.List;
import java.util.Optional;

/**
 * Every column of the schema that can hold an end user's id, and what a deletion does with it. The
 * verification step and UserDataRegistryTest discover user-id-like columns from information_schema
 * ({@link #USER_ID_LIKE}); a column found there and missing here fails the test, so a new table with
 * user data cannot be forgotten. Entries for tables that do not exist (yet, or any more) are skipped.
 */
public final class UserDataRegistry {
    /** What the workflow does with rows referencing the user. */
    public enum Handling {
        /** rows deleted (batched), by the step named in {@link Column#step} */
        DELETE,
        /** the id replaced by its keyed hash (the audit log keeps the action, not the person) */
        PSEUDONYMISE,
        /** privacy_requests itself: user_id is cleared when the request completes */
        REQUEST,
        /** holds no end-user ids (e.g. operators' names); listed so the check knows it was considered */
        NOT_END_USER
    }

    /** @param step the workflow step that handles it; {@code why}: one line for reviewers */
    public record Column(String table, String column, Handling handling, String step, String why) {
    }

    /** The name rule: user_id, *_user_id, user, subject (SQL over information_schema.columns). */
    public static final String USER_ID_LIKE =
            "(column_name = 'user_id' or column_name like '%\\_user\\_id' or column_name in ('user', 'subject'))";

    public static final List<Column> COLUMNS = List.of(
            new Column("events", "user_id", Handling.DELETE, "events", "behaviour events"),
            new Column("event_keys", "user_id", Handling.DELETE, "events", "idempotency keys; tombstoned by id hash"),
            new Column("users", "user_id", Handling.DELETE, "profile", "the profile"),
            new Column("experiment_assignments", "user_id", Handling.DELETE, "exposures", "V1; dropped by V4"),
            new Column("exposures", "user_id", Handling.DELETE, "exposures", "V4: recommendations shown"),
            new Column("audit_log", "user_id", Handling.PSEUDONYMISE, "audit", "keyed hash only"),
            new Column("audit_log", "subject", Handling.PSEUDONYMISE, "audit", "never an end user by rule; checked anyway"),
            new Column("privacy_requests", "user_id", Handling.REQUEST, "complete", "set only while open"));

    private UserDataRegistry() {
    }

    public static Optional<Column> find(String table, String column) {
        return COLUMNS.stream().filter(c -> c.table().equals(table) && c.column().equals(column)).findFirst();
    }

    /** Discovered columns this registry does not know, as "table.column". */
    public static List<String> unknown(List<PrivacyVerification.Discovered> discovered) {
        return discovered.stream().filter(d -> find(d.table(), d.column()).isEmpty())
                .map(d -> d.table() + "." + d.column()).toList();
    }

    public static List<Column> forStep(String step) {
        return COLUMNS.stream().filter(c -> c.step().equals(step)).toList();
    }
}
