package io.granary.adapter.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.adapter.postgres.testing.TestPostgres;
import io.granary.core.domain.Credential;
import io.granary.core.domain.CredentialStatus;
import io.granary.core.domain.LeafUser;
import io.granary.core.port.out.DuplicateException;
import io.granary.core.port.out.StaleWriteException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The credential store on a real PostgreSQL: leases, versioned writes, sealing at rest, and two instances racing. */
final class PgCredentialStoreTest {

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
    void insertFind_roundTripsEveryColumn_andStoresNoPlaintext() throws Exception {
        LeafUser user = PgFixtures.insertUser(storage, PgFixtures.insertOwner(storage));
        Credential c = PgFixtures.insertCredential(storage, user, "JohnDeere", PgFixtures.at(10));
        Credential found = storage.credentials().find(user.ownerId(), user.id(), "JohnDeere").orElseThrow();
        assertEquals(c, found);
        assertEquals(Optional.empty(), storage.credentials().find(UUID.randomUUID(), user.id(), "JohnDeere"), "another owner's");
        try (Connection raw = database.connect(); ResultSet rs = raw.createStatement().executeQuery("SELECT sealed FROM credential_fields")) {
            while (rs.next()) {
                assertFalse(rs.getString(1).contains(c.fields().get("refresh_token")) || rs.getString(1).contains("cid-"),
                        "a field is stored in clear");
            }
        }
        assertThrows(DuplicateException.class, () -> PgFixtures.insertCredential(storage, user, "JohnDeere", PgFixtures.at(0)));
    }

    @Test
    void claim_isRefusedWhileLeased_andTakenOverOnceTheLeaseRanOut() {
        LeafUser user = PgFixtures.insertUser(storage, PgFixtures.insertOwner(storage));
        Credential c = PgFixtures.insertCredential(storage, user, "JohnDeere", PgFixtures.at(0));
        assertEquals(List.of(c.id()), storage.credentials().findDue(PgFixtures.at(1), 10));
        Credential first = storage.credentials().claim(c.id(), "a", PgFixtures.at(1), PgFixtures.at(60)).orElseThrow();
        assertEquals(c.version() + 1, first.version());
        assertEquals(List.of(), storage.credentials().findDue(PgFixtures.at(2), 10), "leased is not due");
        assertEquals(Optional.of(PgFixtures.at(60)), storage.credentials().earliestDue(), "due again when the lease ends");
        assertTrue(storage.credentials().claim(c.id(), "b", PgFixtures.at(2), PgFixtures.at(60)).isEmpty());

        Credential second = storage.credentials().claim(c.id(), "b", PgFixtures.at(61), PgFixtures.at(120)).orElseThrow();
        // The first holder's writes now name a version that is gone: refused, nothing changes.
        assertThrows(StaleWriteException.class, () -> storage.credentials().saveTokens(c.id(), first.version(),
                Map.of("refresh_token", "stale"), PgFixtures.at(999), null, PgFixtures.at(62)));
        long v = storage.credentials().saveTokens(c.id(), second.version(), Map.of("refresh_token", "rt-new"),
                PgFixtures.at(7200), null, PgFixtures.at(62));
        storage.credentials().finishRefresh(c.id(), v, CredentialStatus.VALID, null, PgFixtures.at(3000), 0, PgFixtures.at(62));
        Credential after = storage.credentials().findById(c.id()).orElseThrow();
        assertEquals("rt-new", after.fields().get("refresh_token"));
        assertEquals("cid-JohnDeere", after.fields().get("client_id"), "fields not named stay");
        assertEquals(CredentialStatus.VALID, after.status());
        assertEquals(List.of("ag1", "eq1"), after.scopes(), "null scopes keep the stored ones");
        assertEquals(Optional.of(PgFixtures.at(3000)), storage.credentials().earliestDue());
    }

    @Test
    void saveTokens_repeatedAfterAnUnknownCommitOutcome_answersAsTheFirstCall_butNotForOtherValues() {
        LeafUser user = PgFixtures.insertUser(storage, PgFixtures.insertOwner(storage));
        Credential c = PgFixtures.insertCredential(storage, user, "JohnDeere", PgFixtures.at(0));
        Credential claimed = storage.credentials().claim(c.id(), "a", PgFixtures.at(1), PgFixtures.at(60)).orElseThrow();
        Map<String, String> rotated = Map.of("refresh_token", "rt-rotated");
        long v = storage.credentials().saveTokens(c.id(), claimed.version(), rotated, PgFixtures.at(7200), null, PgFixtures.at(2));
        // As if the connection broke during COMMIT and the refresher tried again: the same call must not fail.
        assertEquals(v, storage.credentials().saveTokens(c.id(), claimed.version(), rotated, PgFixtures.at(7200), null, PgFixtures.at(3)));
        assertThrows(StaleWriteException.class, () -> storage.credentials().saveTokens(c.id(), claimed.version(),
                Map.of("refresh_token", "rt-other"), PgFixtures.at(7200), null, PgFixtures.at(3)));
    }

    /** Two instances (two pools), many threads each, over many credentials: every lease has exactly one holder. */
    @Test
    void claim_racedByTwoInstances_givesEachDueCredentialToExactlyOne() throws Exception {
        int credentials = 200;
        try (PostgresStorage other = PgFixtures.open(database, "k1")) {
            LeafUser user = PgFixtures.insertUser(storage, PgFixtures.insertOwner(storage));
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < credentials; i++) {
                ids.add(PgFixtures.insertCredential(storage, user, "P" + i, PgFixtures.at(0)).id());
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            Set<UUID> won = ConcurrentHashMap.newKeySet();
            AtomicInteger wins = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            try {
                List<Future<?>> workers = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    PostgresStorage instance = t % 2 == 0 ? storage : other;
                    String claimant = "instance-" + (t % 2) + "-thread-" + t;
                    workers.add(pool.submit(() -> {
                        start.await();
                        for (UUID id : instance.credentials().findDue(PgFixtures.at(1), credentials)) {
                            if (instance.credentials().claim(id, claimant, PgFixtures.at(1), PgFixtures.at(60)).isPresent()) {
                                won.add(id);
                                wins.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : workers) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(credentials, wins.get(), "claims won");
            assertEquals(Set.copyOf(ids), won);
        }
    }

    @Test
    void releaseLeases_freesOnlyThatClaimantsRows_withoutBumpingTheVersion() {
        LeafUser user = PgFixtures.insertUser(storage, PgFixtures.insertOwner(storage));
        Credential a = PgFixtures.insertCredential(storage, user, "A", PgFixtures.at(0));
        Credential b = PgFixtures.insertCredential(storage, user, "B", PgFixtures.at(0));
        long va = storage.credentials().claim(a.id(), "dead", PgFixtures.at(1), PgFixtures.at(60)).orElseThrow().version();
        storage.credentials().claim(b.id(), "alive", PgFixtures.at(1), PgFixtures.at(60)).orElseThrow();
        assertEquals(1, storage.credentials().releaseLeases("dead"));
        assertEquals(List.of(a.id()), storage.credentials().findDue(PgFixtures.at(2), 10));
        assertEquals(va, storage.credentials().findById(a.id()).orElseThrow().version());
    }
}
