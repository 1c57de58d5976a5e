package io.granary.adapter.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.domain.ApiOwner;
import io.granary.core.domain.Credential;
import io.granary.core.domain.CredentialEvent;
import io.granary.core.domain.CredentialStatus;
import io.granary.core.domain.LeafUser;
import io.granary.core.domain.PageRequest;
import io.granary.core.port.out.CredentialStore;
import io.granary.core.port.out.DuplicateException;
import io.granary.core.port.out.StaleWriteException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class CredentialStoreTest {

    @TempDir
    Path dir;
    private SqliteStorage storage;
    private CredentialStore store;
    private ApiOwner owner;
    private LeafUser user;

    @BeforeEach
    void open() {
        storage = SqliteStorage.open(dir.resolve("g.db"), Fixtures.sealer("k1"));
        store = storage.credentials();
        owner = Fixtures.insertOwner(storage);
        user = Fixtures.insertUser(storage, owner);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void insert_thenFind_returnsEqualCredentialWithOpenedFields() {
        Credential c = Fixtures.insertCredential(storage, user, "JohnDeere", Fixtures.at(60));
        assertEquals(c, store.find(owner.id(), user.id(), "JohnDeere").orElseThrow());
        assertEquals(c, store.findById(c.id()).orElseThrow());
        assertTrue(store.find(owner.id(), user.id(), "Trimble").isEmpty());
    }

    @Test
    void insert_withoutFieldsOrScopesOrTimes_roundTrips() {
        Credential c = new Credential(UUID.randomUUID(), owner.id(), user.id(), "Raven", io.granary.spi.Environment.STAGE,
                Map.of(), CredentialStatus.INVALID, "revoked", Fixtures.T0, Fixtures.T0, null, null, null, 3, 7);
        store.insert(c);
        assertEquals(c, store.findById(c.id()).orElseThrow());
    }

    @Test
    void insert_whenUserHasCredentialForProvider_throwsDuplicate() {
        Fixtures.insertCredential(storage, user, "JohnDeere", null);
        assertThrows(DuplicateException.class, () -> Fixtures.insertCredential(storage, user, "JohnDeere", null));
    }

    @Test
    void insert_whenOwnerDoesNotOwnTheUser_isRefused() {
        ApiOwner other = Fixtures.insertOwner(storage);
        Credential c = Fixtures.credential(user, "JohnDeere", Map.of("a", "b"), null);
        Credential foreign = new Credential(c.id(), other.id(), user.id(), c.providerId(), c.environment(), c.fields(),
                c.status(), null, c.createdAt(), c.updatedAt(), null, List.of(), null, 0, 1);
        assertThrows(IllegalArgumentException.class, () -> store.insert(foreign));
    }

    @Test
    void find_andDelete_whenOtherOwner_actAsIfAbsent() {
        ApiOwner other = Fixtures.insertOwner(storage);
        Credential c = Fixtures.insertCredential(storage, user, "JohnDeere", null);
        assertTrue(store.find(other.id(), user.id(), "JohnDeere").isEmpty());
        assertFalse(store.delete(other.id(), user.id(), "JohnDeere"));
        assertTrue(store.delete(owner.id(), user.id(), "JohnDeere"));
        assertTrue(store.findById(c.id()).isEmpty());
        assertFalse(store.delete(owner.id(), user.id(), "JohnDeere"));
    }

    @Test
    void claim_whenFree_takesLeaseAndBumpsVersion() {
        Credential c = Fixtures.insertCredential(storage, user, "JohnDeere", Fixtures.at(0));
        Credential claimed = store.claim(c.id(), "node-a", Fixtures.at(1), Fixtures.at(31)).orElseThrow();
        assertEquals(c.version() + 1, claimed.version());
        assertEquals(c.fields(), claimed.fields());
    }

    @Test
    void claim_whenLeaseHeldByOther_returnsEmpty() {
        Credential c = Fixtures.insertCredential(storage, user, "JohnDeere", Fixtures.at(0));
        store.claim(c.id(), "node-a", Fixtures.at(1), Fixtures.at(31)).orElseThrow();
        assertTrue(store.claim(c.id(), "node-b", Fixtures.at(30), Fixtures.at(60)).isEmpty());
        assertTrue(store.claim(c.id(), "node-a", Fixtures.at(30), Fixtures.at(60)).isEmpty());
    }

    @Test
    void claim_whenLeaseExpired_succeeds_andOldHoldersWritesAreStale() {
        Credential c = Fixtures.insertCredential(storage, user, "JohnDeere", Fixtures.at(0));
        Credential first = store.claim(c.id(), "node-a", Fixtures.at(1), Fixtures.at(31)).orElseThrow();
        Credential second = store.claim(c.id(), "node-b", Fixtures.at(31), Fixtures.at(61)).orElseThrow();
        assertEquals(first.version() + 1, second.version());

        assertThrows(StaleWriteException.class, () -> store.saveTokens(c.id(), first.version(),
                Map.of("refresh_token", "from-node-a"), Fixtures.at(3600), null, Fixtures.at(32)));
        assertThrows(StaleWriteException.class, () -> store.finishRefresh(c.id(), first.version(),
                CredentialStatus.VALID, null, Fixtures.at(600), 0, Fixtures.at(32)));
        assertEquals(c.field("refresh_token"), store.findById(c.id()).orElseThrow().field("refresh_token"));
    }

    @Test
    void saveTokens_mergesGivenFields_keepsOthers_andUpdatesExpiryAndScopes() {
        Credential c = Fixtures.insertCredential(storage, user, "JohnDeere", Fixtures.at(0));
        Credential claimed = store.claim(c.id(), "node-a", Fixtures.at(1), Fixtures.at(31)).orElseThrow();
        Map<String, String> update = new HashMap<>();
        update.put("refresh_token", "rt-rotated");
        update.put("access_token", "at-new");
        long v = store.saveTokens(c.id(), claimed.version(), update, Fixtures.at(7200), List.of("ag2"), Fixtures.at(2));

        Credential saved = store.findById(c.id()).orElseThrow();
        assertEquals(claimed.version() + 1, v);
        assertEquals(v, saved.version());
        assertEquals(Map.of("client_id", c.field("client_id"), "refresh_token", "rt-rotated", "access_token", "at-new"),
                saved.fields());
        assertEquals(Fixtures.at(7200), saved.accessExpiresAt());
        assertEquals(List.of("ag2"), saved.scopes());
        assertEquals(Fixtures.at(2), saved.updatedAt());

        // null scopes keep the stored ones; a null value removes its field
        update.clear();
        update.put("access_token", null);
        long v2 = store.saveTokens(c.id(), v, update, null, null, Fixtures.at(3));
        Credential again = store.findById(c.id()).orElseThrow();
        assertEquals(List.of("ag2"), again.scopes());
        assertNull(again.accessExpiresAt());
        assertFalse(again.fields().containsKey("access_token"));
        assertEquals(v2, again.version());
    }

    @Test
    void finishRefresh_recordsOutcome_releasesLease_andChecksVersion() {
        Credential c = Fixtures.insertCredential(storage, user, "JohnDeere", Fixtures.at(0));
        Credential claimed = store.claim(c.id(), "node-a", Fixtures.at(1), Fixtures.at(31)).orElseThrow();
        long v = store.finishRefresh(c.id(), claimed.version(), CredentialStatus.TEMPORARILY_UNAVAILABLE, "503 from provider",
                Fixtures.at(120), 2, Fixtures.at(5));

        Credential done = store.findById(c.id()).orElseThrow();
        assertEquals(v, done.version());
        assertEquals(CredentialStatus.TEMPORARILY_UNAVAILABLE, done.status());
        assertEquals("503 from provider", done.statusMessage());
        assertEquals(Fixtures.at(120), done.nextRefreshAt());
        assertEquals(2, done.failureCount());
        // lease released: another node may claim at once, long before the lease would have run out
        assertTrue(store.claim(c.id(), "node-b", Fixtures.at(6), Fixtures.at(36)).isPresent());
        assertThrows(StaleWriteException.class, () -> store.finishRefresh(c.id(), v, CredentialStatus.VALID, null,
                null, 0, Fixtures.at(7)));
    }

    @Test
    void saveTokensAndFinishRefresh_storeTheirEventsInTheSameTransaction_andAStaleWriteStoresNone() {
        Credential c = Fixtures.insertCredential(storage, user, "JohnDeere", Fixtures.at(0));
        Credential claimed = store.claim(c.id(), "node-a", Fixtures.at(1), Fixtures.at(31)).orElseThrow();
        CredentialEvent tokenCall = event(c, "https://provider.example/token", Fixtures.at(2));
        CredentialEvent checkCall = event(c, "https://provider.example/userinfo", Fixtures.at(3));

        long v = store.saveTokens(c.id(), claimed.version(), Map.of("refresh_token", "rt-2"), Fixtures.at(3600), null,
                Fixtures.at(2), List.of(tokenCall));
        assertThrows(StaleWriteException.class, () -> store.finishRefresh(c.id(), v - 1, CredentialStatus.VALID, null,
                Fixtures.at(600), 0, Fixtures.at(3), null, List.of(event(c, "https://provider.example/stale", Fixtures.at(3)))));
        store.finishRefresh(c.id(), v, CredentialStatus.VALID, null, Fixtures.at(600), 0, Fixtures.at(3), null, List.of(checkCall));

        List<CredentialEvent> stored = storage.events().page(c.id(), new PageRequest(0, 10, true)).items();
        assertEquals(List.of(tokenCall, checkCall), stored);
    }

    private static CredentialEvent event(Credential c, String url, Instant at) {
        return new CredentialEvent(UUID.randomUUID(), c.id(), at, "POST", url, 200, "", "{}", 50);
    }

    @Test
    void findDue_returnsDueUnleasedRowsSoonestFirst_skippingLeasedAndNull() {
        LeafUser u2 = Fixtures.insertUser(storage, owner);
        Credential late = Fixtures.insertCredential(storage, user, "A", Fixtures.at(50));
        Credential soon = Fixtures.insertCredential(storage, user, "B", Fixtures.at(10));
        Credential leased = Fixtures.insertCredential(storage, user, "C", Fixtures.at(5));
        Fixtures.insertCredential(storage, user, "D", null);
        Fixtures.insertCredential(storage, u2, "A", Fixtures.at(500));
        store.claim(leased.id(), "node-a", Fixtures.at(60), Fixtures.at(200)).orElseThrow();

        assertEquals(List.of(soon.id(), late.id()), store.findDue(Fixtures.at(100), 10));
        assertEquals(List.of(soon.id()), store.findDue(Fixtures.at(100), 1));
        // once the lease runs out, the leased row is due again
        assertEquals(List.of(leased.id(), soon.id(), late.id()), store.findDue(Fixtures.at(200), 10));
    }

    @Test
    void findDue_usesTheDueIndex() {
        String plan = storage.database().readOne(h -> String.join("\n", h.createQuery("EXPLAIN QUERY PLAN SELECT id FROM"
                        + " credentials WHERE next_refresh_at <= :now AND (lease_until IS NULL OR lease_until <= :now)"
                        + " ORDER BY next_refresh_at LIMIT :limit").bind("now", 1L).bind("limit", 10)
                .map((rs, ctx) -> rs.getString("detail")).list()));
        assertTrue(plan.contains("USING COVERING INDEX credentials_due"), plan);
        assertFalse(plan.contains("TEMP B-TREE"), plan); // no sort step: the index gives the order
    }

    @Test
    void earliestDue_countsLeasedRowsFromLeaseEnd() {
        assertEquals(Optional.empty(), store.earliestDue());
        Credential a = Fixtures.insertCredential(storage, user, "A", Fixtures.at(10));
        Fixtures.insertCredential(storage, user, "B", Fixtures.at(40));
        assertEquals(Optional.of(Fixtures.at(10)), store.earliestDue());
        store.claim(a.id(), "node-a", Fixtures.at(11), Fixtures.at(30)).orElseThrow();
        assertEquals(Optional.of(Fixtures.at(30)), store.earliestDue());
    }

    @Test
    void releaseLeases_freesOnlyThatClaimantsLeases() {
        Credential a = Fixtures.insertCredential(storage, user, "A", Fixtures.at(0));
        Credential b = Fixtures.insertCredential(storage, user, "B", Fixtures.at(0));
        store.claim(a.id(), "dead-node", Fixtures.at(1), Fixtures.at(100)).orElseThrow();
        store.claim(b.id(), "live-node", Fixtures.at(1), Fixtures.at(100)).orElseThrow();

        assertEquals(1, store.releaseLeases("dead-node"));
        assertEquals(List.of(a.id()), store.findDue(Fixtures.at(2), 10));
    }

    @Test
    void countByProviderAndStatus_groups() {
        LeafUser u2 = Fixtures.insertUser(storage, owner);
        Fixtures.insertCredential(storage, user, "JohnDeere", null);
        Fixtures.insertCredential(storage, u2, "JohnDeere", null);
        Credential t = Fixtures.insertCredential(storage, user, "Trimble", Fixtures.at(0));
        Credential claimed = store.claim(t.id(), "n", Fixtures.at(1), Fixtures.at(2)).orElseThrow();
        store.finishRefresh(t.id(), claimed.version(), CredentialStatus.VALID, null, Fixtures.at(60), 0, Fixtures.at(1));

        assertEquals(Map.of("JohnDeere", Map.of(CredentialStatus.PROCESSING, 2L), "Trimble", Map.of(CredentialStatus.VALID, 1L)),
                store.countByProviderAndStatus());
    }

    @Test
    void timestamps_keepMicroseconds() {
        Instant precise = Instant.parse("2025-03-01T10:00:00.123456Z");
        Credential c = Fixtures.insertCredential(storage, user, "A", precise);
        assertEquals(precise, store.findById(c.id()).orElseThrow().nextRefreshAt());
    }
}
