package io.granary.core.testing.contract;

import static io.granary.core.testing.contract.StorageContract.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.domain.ApiOwner;
import io.granary.core.domain.AppKey;
import io.granary.core.domain.LeafUser;
import io.granary.core.domain.MagicLink;
import io.granary.core.domain.PendingAuthorization;
import io.granary.core.port.out.DuplicateException;
import io.granary.spi.Environment;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Owners' provider apps (app keys) and magic links with their consents in progress. */
public interface AppKeyMagicLinkContract extends StorageContract {

    default AppKey appKey(ApiOwner owner, String appName, String secret, long secondsAfterT0) {
        return new AppKey(owner.id(), "trimble", appName, Environment.PRODUCTION,
                Map.of("clientKey", "ck", "clientSecret", secret, "applicationName", appName), List.of("openid"),
                at(secondsAfterT0), at(secondsAfterT0));
    }

    default MagicLink magicLink(LeafUser user, long createdSecondsAfterT0, Integer maxUsage) {
        return new MagicLink(UUID.randomUUID(), user.ownerId(), user.id(), List.of("trimble", "johndeere"),
                new MagicLink.Settings("#ffffff", null, "https://logo.example/l.png", "Acme", true, false),
                at(createdSecondsAfterT0), at(createdSecondsAfterT0 + 86400), null, maxUsage, 0);
    }

    @Test
    default void appKeys_roundTrip_areUniquePerOwnerProviderAppAndEnvironment_andScopedToTheOwner() {
        ApiOwner owner = newOwner();
        AppKey key = appKey(owner, "main", "s3cret", 0);
        storage().appKeys().insert(key);
        assertEquals(key, storage().appKeys().find(owner.id(), "trimble", "main", Environment.PRODUCTION).orElseThrow());
        assertThrows(DuplicateException.class, () -> storage().appKeys().insert(appKey(owner, "main", "other", 1)));
        ApiOwner other = newOwner();
        storage().appKeys().insert(appKey(other, "main", "theirs", 0));
        assertEquals("s3cret", storage().appKeys().find(owner.id(), "trimble", "main", Environment.PRODUCTION).orElseThrow()
                .fields().get("clientSecret"));
        assertTrue(storage().appKeys().find(owner.id(), "trimble", "main", Environment.STAGE).isEmpty());
        assertFalse(storage().appKeys().delete(UUID.randomUUID(), "trimble", "main", Environment.PRODUCTION));
    }

    @Test
    default void appKeys_listIsOldestFirst_replaceAndDelete() {
        ApiOwner owner = newOwner();
        AppKey first = appKey(owner, "a", "s1", 0);
        AppKey second = appKey(owner, "b", "s2", 10);
        storage().appKeys().insert(first);
        storage().appKeys().insert(second);
        assertEquals(List.of(first, second), storage().appKeys().list(owner.id()));
        AppKey replaced = new AppKey(owner.id(), "trimble", "a", Environment.PRODUCTION,
                Map.of("clientKey", "ck2", "clientSecret", "s9", "applicationName", "a"), List.of("x"), first.createdAt(), at(20));
        assertTrue(storage().appKeys().replace(replaced));
        assertEquals(replaced, storage().appKeys().find(owner.id(), "trimble", "a", Environment.PRODUCTION).orElseThrow());
        assertFalse(storage().appKeys().replace(appKey(owner, "missing", "s", 0)));
        assertTrue(storage().appKeys().delete(owner.id(), "trimble", "b", Environment.PRODUCTION));
        assertEquals(List.of(replaced), storage().appKeys().list(owner.id()));
    }

    @Test
    default void magicLinks_roundTrip_scopedToTheOwner_newestFirst() {
        LeafUser user = newUser();
        MagicLink older = magicLink(user, 0, 3);
        MagicLink newer = magicLink(user, 10, null);
        storage().magicLinks().insert(older);
        storage().magicLinks().insert(newer);
        assertEquals(older, storage().magicLinks().find(user.ownerId(), older.id()).orElseThrow());
        assertEquals(older, storage().magicLinks().findById(older.id()).orElseThrow());
        assertEquals(List.of(newer, older), storage().magicLinks().list(user.ownerId()));
        UUID other = newOwner().id();
        assertTrue(storage().magicLinks().find(other, older.id()).isEmpty());
        assertFalse(storage().magicLinks().delete(other, older.id()));
        assertTrue(storage().magicLinks().list(other).isEmpty());
    }

    @Test
    default void magicLinks_recordAccess_countsEachOpening() {
        LeafUser user = newUser();
        MagicLink link = magicLink(user, 0, 2);
        storage().magicLinks().insert(link);
        storage().magicLinks().recordAccess(link.id(), at(5));
        storage().magicLinks().recordAccess(link.id(), at(6));
        MagicLink opened = storage().magicLinks().findById(link.id()).orElseThrow();
        assertEquals(2, opened.usageCount());
        assertEquals(at(6), opened.lastAccessedAt());
        assertFalse(opened.usableAt(at(7)), "max usage reached");
    }

    @Test
    default void pendingConsents_areTakenOnce_expiredOnesAreDropped_andGoWithTheirLink() {
        LeafUser user = newUser();
        MagicLink link = magicLink(user, 0, null);
        storage().magicLinks().insert(link);
        storage().magicLinks().savePending(new PendingAuthorization("state-1", link.id(), "trimble", "browser", at(600)), at(0));
        assertEquals("trimble", storage().magicLinks().takePending("state-1").orElseThrow().providerId());
        assertTrue(storage().magicLinks().takePending("state-1").isEmpty(), "a state works once");

        storage().magicLinks().savePending(new PendingAuthorization("old", link.id(), "trimble", "b", at(100)), at(0));
        storage().magicLinks().savePending(new PendingAuthorization("new", link.id(), "trimble", "b", at(900)), at(200));
        assertTrue(storage().magicLinks().takePending("old").isEmpty(), "expired before the last save");

        assertTrue(storage().magicLinks().delete(user.ownerId(), link.id()));
        assertTrue(storage().magicLinks().findById(link.id()).isEmpty());
        assertTrue(storage().magicLinks().takePending("new").isEmpty(), "deleted with its link");
    }
}
