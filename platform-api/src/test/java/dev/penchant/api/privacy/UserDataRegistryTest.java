package dev.penchant.api.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The migrated schema against the privacy registry: every user-id-like column (information_schema,
 * by name) must be known to UserDataRegistry, so a migration that adds user data without telling the
 * deletion workflow fails here. After the V4 merge: exposures.user_id is already registered.
 */
@QuarkusTest
class UserDataRegistryTest {
    @Inject
    AgroalDataSource db;

    @Test
    void everyUserIdColumnOfTheSchemaIsKnownToThePrivacyRegistry() {
        List<PrivacyVerification.Discovered> found = PrivacyVerification.discover(db);
        assertTrue(found.stream().anyMatch(d -> d.table().equals("events") && d.column().equals("user_id")), found.toString());
        assertTrue(found.stream().noneMatch(d -> d.table().startsWith("events_")), "partitions are scanned through their parent");
        assertEquals(List.of(), UserDataRegistry.unknown(found),
                "user-id columns the privacy workflow does not know: add them to UserDataRegistry.COLUMNS");
    }

    @Test
    void aNewTableWithAUserIdColumnIsCaught() throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table privacy_probe (id bigint, buyer_user_id text, tags text[], subject jsonb)");
            try {
                List<String> unknown = UserDataRegistry.unknown(PrivacyVerification.discover(db));
                assertEquals(List.of("privacy_probe.buyer_user_id", "privacy_probe.subject"), unknown);
            } finally {
                s.execute("drop table privacy_probe");
            }
        }
    }
}
