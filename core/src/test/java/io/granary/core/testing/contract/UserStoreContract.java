package io.granary.core.testing.contract;

import static io.granary.core.testing.contract.StorageContract.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.domain.ApiOwner;
import io.granary.core.domain.Credential;
import io.granary.core.domain.LeafUser;
import io.granary.core.domain.PageRequest;
import io.granary.core.domain.UserFilter;
import io.granary.core.port.out.DuplicateException;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/** API owners, Leaf users, health and the change signal. */
public interface UserStoreContract extends StorageContract {

    @Test
    default void owners_emailsAreUniqueIgnoringCase_andFoundIgnoringCase() {
        ApiOwner owner = new ApiOwner(UUID.randomUUID(), "Ann@Example.com", "hash", false, T0);
        storage().owners().insert(owner);
        assertThrows(DuplicateException.class, () -> storage().owners().insert(
                new ApiOwner(UUID.randomUUID(), "ann@example.COM", "hash", false, T0)));
        assertEquals(owner, storage().owners().findByEmail("ANN@example.com").orElseThrow());
        assertEquals(owner, storage().owners().findById(owner.id()).orElseThrow());
        assertEquals(1, storage().owners().count());
    }

    @Test
    default void owners_disableAndEnable() {
        ApiOwner owner = newOwner();
        assertTrue(storage().owners().setDisabled(owner.id(), true));
        assertTrue(storage().owners().findById(owner.id()).orElseThrow().disabled());
        assertTrue(storage().owners().setDisabled(owner.id(), false));
        assertFalse(storage().owners().findById(owner.id()).orElseThrow().disabled());
        assertFalse(storage().owners().setDisabled(UUID.randomUUID(), true));
        assertEquals(1, storage().owners().list().size());
    }

    @Test
    default void users_areScopedToTheirOwner() {
        ApiOwner owner = newOwner();
        LeafUser user = newUser(owner, "Grower", 0);
        assertEquals(user, storage().users().find(owner.id(), user.id()).orElseThrow());
        ApiOwner other = newOwner();
        assertTrue(storage().users().find(other.id(), user.id()).isEmpty());
        assertEquals(0, storage().users().list(other.id(), UserFilter.NONE, new PageRequest(0, 10, false)).total());
        LeafUser stolen = new LeafUser(user.id(), other.id(), "X", null, null, null, null, T0, T0);
        assertFalse(storage().users().update(stolen));
        assertFalse(storage().users().delete(other.id(), user.id()));
        assertTrue(storage().users().find(owner.id(), user.id()).isPresent());
    }

    @Test
    default void users_aListIsOldestFirst_paged_andFiltered() {
        ApiOwner owner = newOwner();
        LeafUser second = newUser(owner, "Bea", 20);
        LeafUser first = newUser(owner, "Al", 10);
        LeafUser third = newUser(owner, "Cy", 30);
        var page = storage().users().list(owner.id(), UserFilter.NONE, new PageRequest(0, 2, false));
        assertEquals(3, page.total());
        assertEquals(java.util.List.of(first, second), page.items());
        assertEquals(java.util.List.of(third), storage().users().list(owner.id(), UserFilter.NONE, new PageRequest(1, 2, false)).items());
        var filtered = storage().users().list(owner.id(), new UserFilter("bea@farm.example", null, null), new PageRequest(0, 10, false));
        assertEquals(java.util.List.of(second), filtered.items());
        assertEquals(1, filtered.total());
        assertEquals(java.util.List.of(third), storage().users().list(owner.id(), new UserFilter(null, null, "ext-Cy"), new PageRequest(0, 10, false)).items());
    }

    @Test
    default void users_aSecondUserWithTheSameIdIsRefused() {
        LeafUser user = newUser();
        assertThrows(DuplicateException.class, () -> storage().users().insert(user));
    }

    @Test
    default void users_updateReplacesTheFields() {
        ApiOwner owner = newOwner();
        LeafUser user = newUser(owner, "Grower", 0);
        LeafUser renamed = new LeafUser(user.id(), owner.id(), "Renamed", "new@farm.example", null, null, "ext-2", user.createdAt(), at(60));
        assertTrue(storage().users().update(renamed));
        assertEquals(renamed, storage().users().find(owner.id(), user.id()).orElseThrow());
    }

    @Test
    default void users_deleteTakesTheirCredentialsAndEventsAlong() {
        LeafUser user = newUser();
        Credential c = newCredential(user, "trimble", at(60));
        storage().events().append(event(c, at(1)));
        assertTrue(storage().users().delete(user.ownerId(), user.id()));
        assertTrue(storage().credentials().findById(c.id()).isEmpty());
        assertEquals(0, storage().events().page(c.id(), new PageRequest(0, 10, false)).total());
        assertTrue(storage().users().find(user.ownerId(), user.id()).isEmpty());
    }

    @Test
    default void health_isTrueWhileOpen() {
        assertTrue(storage().isHealthy());
    }

    @Test
    default void changeStamps_ifOffered_moveOnEveryCommit() {
        if (storage().changeStamps().isEmpty()) {
            return; // optional: a storage that cannot tell gets no answer cache
        }
        LongSupplier stamps = storage().changeStamps().orElseThrow();
        long before = stamps.getAsLong();
        newOwner();
        assertNotEquals(before, stamps.getAsLong());
    }
}
