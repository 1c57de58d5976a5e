package io.granary.adapter.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.adapter.postgres.testing.TestPostgres;
import io.granary.core.crypto.AesGcmSealer;
import io.granary.core.crypto.SealException;
import io.granary.core.domain.Alert;
import io.granary.core.domain.AlertEvent;
import io.granary.core.domain.ApiOwner;
import io.granary.core.domain.AppKey;
import io.granary.core.domain.Credential;
import io.granary.core.domain.CredentialEvent;
import io.granary.core.domain.CredentialStatus;
import io.granary.core.domain.FailedCall;
import io.granary.core.domain.LeafUser;
import io.granary.core.domain.MagicLink;
import io.granary.core.domain.PageRequest;
import io.granary.core.domain.PendingAuthorization;
import io.granary.core.domain.UserFilter;
import io.granary.core.domain.Webhook;
import io.granary.core.domain.WebhookDelivery;
import io.granary.core.port.out.DuplicateException;
import io.granary.spi.Environment;
import java.net.URI;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The other stores on a real PostgreSQL: round trips, owner scoping, the leased outbox, key checks and rotation. */
final class PgStoresTest {

    private TestPostgres.Database database;
    private PostgresStorage storage;

    @BeforeEach
    void open() {
        database = TestPostgres.newDatabase();
        storage = PgFixtures.open(database, "k1");
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void ownersAndUsers_roundTrip_scopedToTheirOwner() {
        ApiOwner owner = PgFixtures.insertOwner(storage);
        assertEquals(Optional.of(owner), storage.owners().findByEmail(owner.email().toUpperCase()));
        assertThrows(DuplicateException.class, () -> storage.owners().insert(
                new ApiOwner(UUID.randomUUID(), owner.email().toUpperCase(), "h", false, PgFixtures.T0)));
        assertTrue(storage.owners().setDisabled(owner.id(), true));
        assertTrue(storage.owners().findById(owner.id()).orElseThrow().disabled());

        LeafUser user = PgFixtures.insertUser(storage, owner);
        assertEquals(Optional.of(user), storage.users().find(owner.id(), user.id()));
        assertEquals(Optional.empty(), storage.users().find(UUID.randomUUID(), user.id()));
        assertEquals(1, storage.users().list(owner.id(), new UserFilter("grower@farm.example", null, null), new PageRequest(0, 10, true)).total());
        assertEquals(0, storage.users().list(owner.id(), new UserFilter("nobody@x", null, null), new PageRequest(0, 10, true)).total());
        Credential c = PgFixtures.insertCredential(storage, user, "JohnDeere", PgFixtures.at(0));
        storage.events().append(new CredentialEvent(UUID.randomUUID(), c.id(), PgFixtures.at(1), "POST", "https://x/token", 200, "{}", "{}", 12));
        assertEquals(1, storage.events().page(c.id(), new PageRequest(0, 10, false)).total());
        assertTrue(storage.users().delete(owner.id(), user.id()));
        assertEquals(Optional.empty(), storage.credentials().findById(c.id()), "credentials go with their user");
        assertEquals(0, storage.events().page(c.id(), new PageRequest(0, 10, false)).total());
    }

    /**
     * Users sort by bytes, as on SQLite, even where the database compares text by language (a server created with a
     * locale other than C: "ann" before "Ann" before "Bob"). The column is given a language collation to stand for one.
     */
    @Test
    void users_sortByBytes_evenWhereTheDatabaseCollatesByLanguage() throws Exception {
        try (java.sql.Connection c = database.connect(); java.sql.Statement st = c.createStatement()) {
            var icu = st.executeQuery("SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu'");
            org.junit.jupiter.api.Assumptions.assumeTrue(icu.next(), "this PostgreSQL has no ICU collations");
            st.execute("ALTER TABLE leaf_users ALTER COLUMN name TYPE text COLLATE \"und-x-icu\"");
        }
        ApiOwner owner = PgFixtures.insertOwner(storage);
        List<String> names = List.of("ann", "Bob", "Ann");
        for (int i = 0; i < names.size(); i++) {
            storage.users().insert(new LeafUser(UUID.randomUUID(), owner.id(), names.get(i), null, null, null, null,
                    PgFixtures.at(i), PgFixtures.at(i)));
        }
        UserFilter byName = new UserFilter(null, null, null, new UserFilter.Order(UserFilter.SortKey.NAME, true));
        assertEquals(List.of("Ann", "Bob", "ann"), storage.users().list(owner.id(), byName, new PageRequest(0, 10, true))
                .items().stream().map(LeafUser::name).toList());
    }

    /** Two instances poll the outbox at once: each delivery goes to one; a dead instance's lease is taken over. */
    @Test
    void outbox_leasesEachDeliveryToOneInstance_andRetakesItAfterItsLeaseRanOut() {
        ApiOwner owner = PgFixtures.insertOwner(storage);
        Webhook hook = new Webhook(UUID.randomUUID(), owner.id(), "alerts", URI.create("https://example.com/hook"),
                EnumSet.of(AlertEvent.CREDENTIALS_UNAUTHENTICATED), PgFixtures.at(0));
        storage.webhooks().insert(hook, "whsec-1", new Alert(UUID.randomUUID(), owner.id(), null, "{\"confirm\":1}", PgFixtures.at(0)));
        assertThrows(DuplicateException.class, () -> storage.webhooks().insert(new Webhook(UUID.randomUUID(), owner.id(), "dup",
                URI.create("https://example.com/2"), EnumSet.of(AlertEvent.CREDENTIALS_UNAUTHENTICATED), PgFixtures.at(0)), "s",
                new Alert(UUID.randomUUID(), owner.id(), null, "{}", PgFixtures.at(0))));
        assertEquals(List.of(hook), storage.webhooks().list(owner.id()));

        LeafUser user = PgFixtures.insertUser(storage, owner);
        for (int i = 0; i < 20; i++) {
            Credential c = PgFixtures.insertCredential(storage, user, "P" + i, PgFixtures.at(0));
            long v = storage.credentials().claim(c.id(), "r", PgFixtures.at(1), PgFixtures.at(60)).orElseThrow().version();
            storage.credentials().finishRefresh(c.id(), v, CredentialStatus.INVALID, "revoked", null, 1, PgFixtures.at(1),
                    new Alert(UUID.randomUUID(), owner.id(), AlertEvent.CREDENTIALS_UNAUTHENTICATED, "{\"n\":" + i + "}", PgFixtures.at(1)),
                    List.of());
        }
        assertEquals(21, storage.alertOutbox().backlog());
        try (PostgresStorage other = PgFixtures.open(database, "k1")) {
            List<WebhookDelivery> a = storage.alertOutbox().claimDue(PgFixtures.at(2), "a", PgFixtures.at(30), 12);
            List<WebhookDelivery> b = other.alertOutbox().claimDue(PgFixtures.at(2), "b", PgFixtures.at(30), 12);
            assertEquals(12, a.size());
            assertEquals(9, b.size());
            Set<UUID> ids = new HashSet<>();
            a.forEach(d -> ids.add(d.id()));
            b.forEach(d -> ids.add(d.id()));
            assertEquals(21, ids.size(), "no delivery leased twice");
            assertEquals("whsec-1", a.get(0).secret());
            assertEquals(List.of(), other.alertOutbox().claimDue(PgFixtures.at(3), "b", PgFixtures.at(30), 50));

            a.forEach(d -> assertTrue(storage.alertOutbox().markDelivered(d.id(), "a", PgFixtures.at(3))));
            // Instance b dies with its leases; after they run out, a takes them and b's late answers change nothing.
            List<WebhookDelivery> retaken = storage.alertOutbox().claimDue(PgFixtures.at(31), "a", PgFixtures.at(60), 50);
            assertEquals(b.stream().map(WebhookDelivery::id).collect(Collectors.toSet()),
                    retaken.stream().map(WebhookDelivery::id).collect(Collectors.toSet()));
            assertFalse(other.alertOutbox().markDelivered(b.get(0).id(), "b", PgFixtures.at(32)));
            FailedCall failed = new FailedCall(owner.id(), hook.id(), PgFixtures.at(32), hook.url().toString(), 500, "oops", "{}", null);
            assertTrue(storage.alertOutbox().recordFailure(retaken.get(0).id(), "a", failed, PgFixtures.at(90)));
            assertEquals(Optional.of(PgFixtures.at(60)), storage.alertOutbox().earliestDue());
            assertEquals(1, storage.webhooks().failedCalls(owner.id(), 10).size());
            assertTrue(storage.alertOutbox().recordFailure(retaken.get(1).id(), "a", failed, null));
            assertEquals(b.size(), storage.alertOutbox().backlog() + 1);
        }
    }

    @Test
    void appKeysAndMagicLinks_roundTrip_andAStateIsTakenOnce() {
        ApiOwner owner = PgFixtures.insertOwner(storage);
        AppKey key = new AppKey(owner.id(), "JohnDeere", "app", Environment.PRODUCTION, Map.of("clientId", "id", "clientSecret", "s3cret"),
                List.of("ag1"), PgFixtures.at(0), PgFixtures.at(0));
        storage.appKeys().insert(key);
        assertEquals(Optional.of(key), storage.appKeys().find(owner.id(), "JohnDeere", "app", Environment.PRODUCTION));
        assertThrows(DuplicateException.class, () -> storage.appKeys().insert(key));

        LeafUser user = PgFixtures.insertUser(storage, owner);
        MagicLink link = new MagicLink(UUID.randomUUID(), owner.id(), user.id(), List.of("JohnDeere"),
                new MagicLink.Settings("#fff", null, null, "Farm", true, false), PgFixtures.at(0), PgFixtures.at(3600), null, 3, 0);
        storage.magicLinks().insert(link);
        assertEquals(Optional.of(link), storage.magicLinks().find(owner.id(), link.id()));
        storage.magicLinks().recordAccess(link.id(), PgFixtures.at(5));
        assertEquals(1, storage.magicLinks().findById(link.id()).orElseThrow().usageCount());
        storage.magicLinks().savePending(new PendingAuthorization("state-hash", link.id(), "JohnDeere", "browser", PgFixtures.at(600)), PgFixtures.at(5));
        assertTrue(storage.magicLinks().takePending("state-hash").isPresent());
        assertTrue(storage.magicLinks().takePending("state-hash").isEmpty());
    }

    @Test
    void keys_aWrongKeyIsRefused_andRotationReseals_everyValue() {
        ApiOwner owner = PgFixtures.insertOwner(storage);
        LeafUser user = PgFixtures.insertUser(storage, owner);
        for (int i = 0; i < 250; i++) {
            PgFixtures.insertCredential(storage, user, "P" + i, PgFixtures.at(0));
        }
        storage.appKeys().insert(new AppKey(owner.id(), "JohnDeere", "app", Environment.PRODUCTION, Map.of("clientId", "id"),
                List.of(), PgFixtures.at(0), PgFixtures.at(0)));
        assertTrue(storage.holdsSecrets());
        assertEquals(501, openAll(storage));
        try (PostgresStorage wrong = PgFixtures.open(database, "other")) {
            assertThrows(SealException.class, wrong::verifySealer);
            assertThrows(SealException.class, () -> openAll(wrong));
        }
        AesGcmSealer k1 = PgFixtures.sealer("k1");
        byte[] k2Key = new byte[32];
        k2Key[0] = 7;
        AesGcmSealer both = new AesGcmSealer("k2", Map.of("k2", k2Key, "k1", keyOf("k1")));
        try (PostgresStorage rotating = PostgresStorage.open(database.url(), database.user(), database.password(), both, 4)) {
            assertEquals(501, rotating.resealAll(both));
            assertEquals(0, rotating.resealAll(both), "a second run finds nothing left");
        }
        try (PostgresStorage onlyNew = PostgresStorage.open(database.url(), database.user(), database.password(),
                new AesGcmSealer("k2", Map.of("k2", k2Key)), 4)) {
            onlyNew.verifySealer();
            assertEquals(501, openAll(onlyNew));
        }
        try (PostgresStorage onlyOld = PostgresStorage.open(database.url(), database.user(), database.password(), k1, 4)) {
            assertThrows(SealException.class, () -> openAll(onlyOld), "nothing is left under the old key");
        }
    }

    /** Opens every sealed value through the storage's walk, as {@code migrate} checks a copy. */
    static long openAll(PostgresStorage storage) {
        long opened = 0;
        for (io.granary.core.port.out.SecretWalk.Kind kind : io.granary.core.port.out.SecretWalk.Kind.values()) {
            String cursor = null;
            List<io.granary.core.port.out.SecretWalk.SealedValue> batch;
            while (!(batch = storage.secrets().after(kind, cursor, 100)).isEmpty()) {
                for (io.granary.core.port.out.SecretWalk.SealedValue v : batch) {
                    storage.sealer().open(v.sealed(), v.context());
                    opened++;
                }
                cursor = batch.get(batch.size() - 1).cursor();
            }
        }
        return opened;
    }

    private static byte[] keyOf(String keyId) {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) keyId.hashCode());
        return key;
    }
}
