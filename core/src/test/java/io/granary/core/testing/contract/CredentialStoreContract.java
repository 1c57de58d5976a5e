package io.granary.core.testing.contract;

import static io.granary.core.testing.contract.StorageContract.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.domain.Credential;
import io.granary.core.domain.CredentialStatus;
import io.granary.core.domain.LeafUser;
import io.granary.core.domain.PageRequest;
import io.granary.core.port.out.DuplicateException;
import io.granary.core.port.out.StaleWriteException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Credentials: the lease and version rules that let several processes share one storage. */
public interface CredentialStoreContract extends StorageContract {

    @Test
    default void insert_roundTripsEveryField_andRefusesASecondCredentialForTheSameUserAndProvider() {
        LeafUser user = newUser();
        Credential c = newCredential(user, "trimble", at(60));
        assertEquals(c, storage().credentials().findById(c.id()).orElseThrow());
        assertEquals(c, storage().credentials().find(user.ownerId(), user.id(), "trimble").orElseThrow());
        assertThrows(DuplicateException.class, () -> storage().credentials().insert(credential(user, "trimble", at(60))));
        newCredential(user, "johndeere", at(60)); // another provider is fine
    }

    @Test
    default void find_isScopedToTheOwner() {
        LeafUser user = newUser();
        newCredential(user, "trimble", at(60));
        UUID otherOwner = newOwner().id();
        assertTrue(storage().credentials().find(otherOwner, user.id(), "trimble").isEmpty());
        assertFalse(storage().credentials().delete(otherOwner, user.id(), "trimble"));
        assertTrue(storage().credentials().find(user.ownerId(), user.id(), "trimble").isPresent());
    }

    @Test
    default void claim_takesAFreeLease_bumpsTheVersion_andRefusesAHeldOneUntilItExpires() {
        Credential c = newCredential(newUser(), "trimble", at(0));
        Credential claimed = storage().credentials().claim(c.id(), "a", at(10), at(130)).orElseThrow();
        assertEquals(c.version() + 1, claimed.version());
        assertTrue(storage().credentials().claim(c.id(), "b", at(20), at(140)).isEmpty(), "lease held by a");
        Credential taken = storage().credentials().claim(c.id(), "b", at(130), at(250)).orElseThrow();
        assertEquals(claimed.version() + 1, taken.version(), "an expired lease is taken over");
        assertTrue(storage().credentials().claim(UUID.randomUUID(), "a", at(10), at(130)).isEmpty());
    }

    @Test
    default void saveTokens_overwritesTheGivenFields_keepsTheOthers_andNamesTheVersionItRead() {
        Credential c = newCredential(newUser(), "trimble", at(0));
        Credential claimed = storage().credentials().claim(c.id(), "a", at(10), at(130)).orElseThrow();
        long version = storage().credentials().saveTokens(c.id(), claimed.version(), Map.of("refreshToken", "rt-2"),
                at(7200), List.of("read", "write"), at(11), List.of(event(c, at(11))));
        Credential saved = storage().credentials().findById(c.id()).orElseThrow();
        assertEquals(version, saved.version());
        assertTrue(version > claimed.version());
        assertEquals(Map.of("clientId", "cid", "refreshToken", "rt-2"), saved.fields());
        assertEquals(at(7200), saved.accessExpiresAt());
        assertEquals(List.of("read", "write"), saved.scopes());
        assertEquals(at(11), saved.updatedAt());
        assertEquals(1, storage().events().page(c.id(), new PageRequest(0, 10, false)).total());

        assertThrows(StaleWriteException.class, () -> storage().credentials().saveTokens(c.id(), claimed.version(),
                Map.of("refreshToken", "rt-3"), at(9000), List.of(), at(12), List.of(event(c, at(12)))));
        Credential after = storage().credentials().findById(c.id()).orElseThrow();
        assertEquals(saved, after, "a stale write changes nothing");
        assertEquals(1, storage().events().page(c.id(), new PageRequest(0, 10, false)).total(), "nor stores its events");
    }

    @Test
    default void finishRefresh_recordsTheOutcome_releasesTheLease_andRefusesAStaleVersion() {
        Credential c = newCredential(newUser(), "trimble", at(0));
        Credential claimed = storage().credentials().claim(c.id(), "a", at(10), at(130)).orElseThrow();
        assertThrows(StaleWriteException.class, () -> storage().credentials().finishRefresh(c.id(), claimed.version() - 1,
                CredentialStatus.INVALID, "x", at(99), 1, at(11)));
        long version = storage().credentials().finishRefresh(c.id(), claimed.version(), CredentialStatus.TEMPORARILY_UNAVAILABLE,
                "provider down", at(600), 2, at(12), null, List.of(event(c, at(12))));
        Credential done = storage().credentials().findById(c.id()).orElseThrow();
        assertEquals(version, done.version());
        assertEquals(CredentialStatus.TEMPORARILY_UNAVAILABLE, done.status());
        assertEquals("provider down", done.statusMessage());
        assertEquals(at(600), done.nextRefreshAt());
        assertEquals(2, done.failureCount());
        assertEquals(1, storage().events().page(c.id(), new PageRequest(0, 10, false)).total());
        assertTrue(storage().credentials().claim(c.id(), "b", at(13), at(140)).isPresent(), "the lease was released");
    }

    @Test
    default void findDue_isSoonestFirst_skipsTheFutureAndLiveLeases_andHonoursTheLimit() {
        LeafUser user = newUser();
        Credential later = newCredential(user, "trimble", at(50));
        Credential sooner = newCredential(user, "johndeere", at(10));
        Credential leased = newCredential(user, "agleader", at(5));
        Credential future = newCredential(user, "cnhi", at(500));
        storage().credentials().claim(leased.id(), "a", at(60), at(200));
        assertEquals(List.of(sooner.id(), later.id()), storage().credentials().findDue(at(100), 10));
        assertEquals(List.of(sooner.id()), storage().credentials().findDue(at(100), 1));
        assertEquals(List.of(leased.id(), sooner.id(), later.id()), storage().credentials().findDue(at(200), 10),
                "an expired lease is due again");
        assertEquals(Optional.of(at(10)), storage().credentials().earliestDue(),
                "the leased credential (due at 5) counts from its lease's end at 200");
        storage().credentials().releaseLeases("a");
        assertEquals(Optional.of(at(5)), storage().credentials().earliestDue());
        assertTrue(storage().credentials().findDue(at(100), 10).stream().noneMatch(future.id()::equals));
    }

    @Test
    default void earliestDue_isEmptyWithNoCredentials() {
        assertEquals(Optional.empty(), storage().credentials().earliestDue());
    }

    @Test
    default void releaseLeases_freesOnlyTheGivenClaimantsLeases() {
        LeafUser user = newUser();
        Credential mine = newCredential(user, "trimble", at(0));
        Credential theirs = newCredential(user, "johndeere", at(0));
        storage().credentials().claim(mine.id(), "me", at(1), at(1000));
        storage().credentials().claim(theirs.id(), "them", at(1), at(1000));
        assertEquals(1, storage().credentials().releaseLeases("me"));
        assertEquals(List.of(mine.id()), storage().credentials().findDue(at(2), 10));
        assertEquals(0, storage().credentials().releaseLeases("me"));
    }

    @Test
    default void delete_removesTheCredentialAndItsEvents() {
        LeafUser user = newUser();
        Credential c = newCredential(user, "trimble", at(0));
        storage().events().append(event(c, at(1)));
        assertTrue(storage().credentials().delete(user.ownerId(), user.id(), "trimble"));
        assertTrue(storage().credentials().findById(c.id()).isEmpty());
        assertEquals(0, storage().events().page(c.id(), new PageRequest(0, 10, false)).total());
        assertFalse(storage().credentials().delete(user.ownerId(), user.id(), "trimble"));
    }

    @Test
    default void countByProviderAndStatus_countsEveryCredential() {
        LeafUser user = newUser();
        newCredential(user, "trimble", at(0));
        newCredential(user, "johndeere", at(0));
        newCredential(newUser(), "trimble", at(0));
        assertEquals(Map.of("trimble", Map.of(CredentialStatus.VALID, 2L), "johndeere", Map.of(CredentialStatus.VALID, 1L)),
                storage().credentials().countByProviderAndStatus());
    }
}
