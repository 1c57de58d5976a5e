package io.granary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.adapter.postgres.PostgresStorage;
import io.granary.adapter.postgres.testing.TestPostgres;
import io.granary.adapter.sqlite.SqliteStorage;
import io.granary.core.crypto.AesGcmSealer;
import io.granary.core.domain.Alert;
import io.granary.core.domain.AlertEvent;
import io.granary.core.domain.ApiOwner;
import io.granary.core.domain.AppKey;
import io.granary.core.domain.Credential;
import io.granary.core.domain.CredentialEvent;
import io.granary.core.domain.CredentialStatus;
import io.granary.core.domain.LeafUser;
import io.granary.core.domain.MagicLink;
import io.granary.core.domain.OrganizationStatus;
import io.granary.core.domain.PageRequest;
import io.granary.core.domain.SeenOrganization;
import io.granary.core.domain.UserFilter;
import io.granary.core.domain.Webhook;
import io.granary.spi.Environment;
import io.granary.spi.ProviderOrganization;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code migrate}: a real SQLite file copied into a real PostgreSQL; what the PostgreSQL stores read back is what SQLite held. */
final class SqliteToPostgresTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00.123456Z");
    private static final AesGcmSealer KEY = new AesGcmSealer("k1", Map.of("k1", new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}));

    @TempDir
    Path dir;

    @Test
    void copiesEveryRow_secretsStillSealedUnderTheSameKey_andRefusesToCopyTwice() throws Exception {
        Path file = dir.resolve("granary.db");
        Seeded seeded;
        try (SqliteStorage sqlite = SqliteStorage.open(file, KEY)) {
            seeded = seed(sqlite, 30);
        }
        TestPostgres.Database db = TestPostgres.newDatabase();
        try (PostgresStorage pg = PostgresStorage.open(db.url(), db.user(), db.password(), KEY, 4)) {
            SqliteToPostgres.Result result = SqliteToPostgres.copy(file, target(db), pg);
            assertEquals(30L, result.rows().get("credentials"));
            assertEquals(1L + 30 * 2 + 1, result.secretsOpened(), "webhook secret, two fields per credential, one app key");
            assertEquals(20L, result.rows().get("provider_organizations"), "two for each of ten credentials");
            assertEquals(2L, result.rows().get("owner_configurations"));
            assertEquals(15L, result.rows().get("user_configurations"), "one for each of 15 users");
            assertEquals(List.of(new SeenOrganization("org-b", "Farm B", false, null, null, T0.plusSeconds(9)),
                            new SeenOrganization("org-a", "Farm A", true, "https://connections.example/a",
                                    OrganizationStatus.PREVIEW, T0.plusSeconds(9))),
                    pg.providerOrganizations().list(seeded.credentials.get(0).id()), "order, flags and choice as in SQLite");

            try (SqliteStorage sqlite = SqliteStorage.open(file, KEY)) {
                assertEquals(sqlite.owners().list(), pg.owners().list());
                assertEquals(sqlite.users().list(seeded.owner.id(), UserFilter.NONE, new PageRequest(0, 100, true)),
                        pg.users().list(seeded.owner.id(), UserFilter.NONE, new PageRequest(0, 100, true)));
                for (Credential c : seeded.credentials) {
                    assertEquals(sqlite.credentials().findById(c.id()), pg.credentials().findById(c.id()));
                    assertEquals(sqlite.events().page(c.id(), new PageRequest(0, 10, true)), pg.events().page(c.id(), new PageRequest(0, 10, true)));
                }
                assertEquals(sqlite.webhooks().list(seeded.owner.id()), pg.webhooks().list(seeded.owner.id()));
                assertEquals(sqlite.appKeys().list(seeded.owner.id()), pg.appKeys().list(seeded.owner.id()));
                assertEquals(sqlite.magicLinks().list(seeded.owner.id()), pg.magicLinks().list(seeded.owner.id()));
                assertEquals(sqlite.alertOutbox().backlog(), pg.alertOutbox().backlog());
                for (Credential c : seeded.credentials) {
                    assertEquals(sqlite.providerOrganizations().list(c.id()), pg.providerOrganizations().list(c.id()));
                    assertEquals(sqlite.configurations().userValues(seeded.owner.id(), c.leafUserId()),
                            pg.configurations().userValues(seeded.owner.id(), c.leafUserId()));
                }
                assertEquals(sqlite.configurations().ownerValues(seeded.owner.id()), pg.configurations().ownerValues(seeded.owner.id()));
                UserFilter byNameDescending = new UserFilter(null, null, null, new UserFilter.Order(UserFilter.SortKey.NAME, false));
                assertEquals(sqlite.users().list(seeded.owner.id(), byNameDescending, new PageRequest(0, 100, true)),
                        pg.users().list(seeded.owner.id(), byNameDescending, new PageRequest(0, 100, true)));
            }
            // The copy is sealed under the same key: another key opens nothing.
            try (PostgresStorage wrongKey = PostgresStorage.open(db.url(), db.user(), db.password(),
                    new AesGcmSealer("k9", Map.of("k9", new byte[32])), 2)) {
                assertThrows(io.granary.core.crypto.SealException.class, () -> SqliteToPostgres.openAll(wrongKey));
            }
            IllegalStateException again = assertThrows(IllegalStateException.class, () -> SqliteToPostgres.copy(file, target(db), pg));
            assertTrue(again.getMessage().contains("not empty"), again.getMessage());
        }
    }

    /** A copy that fails half way (here on a row PostgreSQL refuses) leaves the target empty; run again, it completes. */
    @Test
    void aCopyThatFailsHalfWay_leavesTheTargetEmpty_andCanBeRunAgain() throws Exception {
        Path file = dir.resolve("granary.db");
        try (SqliteStorage sqlite = SqliteStorage.open(file, KEY)) {
            seed(sqlite, 5);
        }
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = raw.createStatement()) {
            // A row that cannot be copied: an id PostgreSQL's uuid type refuses, after the owners and users copied fine.
            s.execute("INSERT INTO credential_events (id, credential_id, created_at, method, url, status_code, duration_ms)"
                    + " SELECT 'not-a-uuid', id, 0, 'GET', 'u', 200, 1 FROM credentials LIMIT 1");
        }
        TestPostgres.Database db = TestPostgres.newDatabase();
        try (PostgresStorage pg = PostgresStorage.open(db.url(), db.user(), db.password(), KEY, 4)) {
            assertThrows(RuntimeException.class, () -> SqliteToPostgres.copy(file, target(db), pg));
            assertEquals(0, pg.owners().count(), "nothing of the failed copy stayed");
            try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = raw.createStatement()) {
                s.execute("DELETE FROM credential_events WHERE id = 'not-a-uuid'");
            }
            assertEquals(5L, SqliteToPostgres.copy(file, target(db), pg).rows().get("credentials"));
        }
    }

    /** Every SQLite table is copied or deliberately left behind: one a migration adds later cannot be forgotten. */
    @Test
    void aTableItDoesNotKnow_stopsTheCopyBeforeAnythingIsWritten() throws Exception {
        Path file = dir.resolve("granary.db");
        try (SqliteStorage sqlite = SqliteStorage.open(file, KEY)) {
            seed(sqlite, 1);
        }
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE field_boundaries (id TEXT PRIMARY KEY)");
        }
        TestPostgres.Database db = TestPostgres.newDatabase();
        try (PostgresStorage pg = PostgresStorage.open(db.url(), db.user(), db.password(), KEY, 2)) {
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> SqliteToPostgres.copy(file, target(db), pg));
            assertTrue(refused.getMessage().contains("[field_boundaries]"), refused.getMessage());
            assertEquals(0, pg.owners().count());
        }
    }

    private static DatabaseSettings target(TestPostgres.Database db) {
        return new DatabaseSettings(db.url(), db.user(), db.password(), 2);
    }

    private record Seeded(ApiOwner owner, List<Credential> credentials) {
    }

    private static Seeded seed(SqliteStorage s, int credentials) {
        ApiOwner owner = new ApiOwner(UUID.randomUUID(), "owner@farmapp.example", "hash", false, T0);
        s.owners().insert(owner);
        s.owners().insert(new ApiOwner(UUID.randomUUID(), "second@farmapp.example", "hash2", true, T0.plusSeconds(1)));
        Webhook hook = new Webhook(UUID.randomUUID(), owner.id(), "alerts", URI.create("https://example.com/hook"),
                EnumSet.of(AlertEvent.CREDENTIALS_UNAUTHENTICATED), T0);
        s.webhooks().insert(hook, "whsec-secret", new Alert(UUID.randomUUID(), owner.id(), null, "{\"confirm\":true}", T0));
        s.appKeys().insert(new AppKey(owner.id(), "JohnDeere", "app", Environment.PRODUCTION,
                Map.of("clientId", "cid", "clientSecret", "csecret"), List.of("ag1"), T0, T0));
        List<Credential> created = new ArrayList<>();
        for (int i = 0; i < credentials; i++) {
            LeafUser user = new LeafUser(UUID.randomUUID(), owner.id(), "Grower " + i, "g" + i + "@farm.example", null, null, null,
                    T0.plusSeconds(i), T0.plusSeconds(i));
            s.users().insert(user);
            Credential c = new Credential(UUID.randomUUID(), owner.id(), user.id(), "Trimble", Environment.PRODUCTION,
                    Map.of("clientId", "cid", "refreshToken", "rt-" + i), CredentialStatus.VALID, null, T0, T0,
                    T0.plusSeconds(3600), List.of("openid"), T0.plusSeconds(600 + i), 0, 1);
            s.credentials().insert(c);
            s.events().append(new CredentialEvent(UUID.randomUUID(), c.id(), T0.plusSeconds(i), "POST", "https://x/token", 200, "{}", "{}", 5));
            if (i % 10 == 0) {
                long v = s.credentials().claim(c.id(), "old", T0, T0.plusSeconds(60)).orElseThrow().version();
                s.credentials().finishRefresh(c.id(), v, CredentialStatus.INVALID, "revoked", null, 1, T0.plusSeconds(1),
                        new Alert(UUID.randomUUID(), owner.id(), AlertEvent.CREDENTIALS_UNAUTHENTICATED, "{\"i\":" + i + "}", T0.plusSeconds(1)),
                        List.of());
            }
            created.add(c);
            if (i % 3 == 0) {
                s.providerOrganizations().saveSeen(c.id(), List.of(new ProviderOrganization("org-b", "Farm B", false, null),
                        new ProviderOrganization("org-a", "Farm A", true, "https://connections.example/a")), T0.plusSeconds(9));
                s.providerOrganizations().choose(c.id(), "org-a", OrganizationStatus.PREVIEW);
            }
            if (i % 2 == 0) {
                s.configurations().saveUserValues(owner.id(), user.id(), Map.of("fieldsAutoSync", "false"), java.util.Set.of());
            }
        }
        s.configurations().saveOwnerValues(owner.id(), Map.of("fieldsAutoSync", "true", "unitMeasurement", "\"METRIC\""));
        s.magicLinks().insert(new MagicLink(UUID.randomUUID(), owner.id(), created.get(0).leafUserId(), List.of("Trimble"),
                new MagicLink.Settings(null, null, null, "Farm", false, true), T0, T0.plusSeconds(3600), null, null, 0));
        return new Seeded(owner, created);
    }
}
