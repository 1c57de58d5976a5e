package io.granary.core.testing.contract;

import static io.granary.core.testing.contract.StorageContract.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.domain.ApiOwner;
import io.granary.core.domain.Credential;
import io.granary.core.domain.LeafUser;
import io.granary.core.domain.PageRequest;
import io.granary.core.domain.UserFilter;
import io.granary.core.port.out.DuplicateException;
import java.util.UUID;
import io.granary.core.port.out.ChangeFeed;
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

    /**
     * Leaf's {@code sort}: by the key either way, ties oldest first; text by its bytes (capitals before small letters,
     * as SQLite compares), a missing value smallest.
     */
    @Test
    default void users_sortedByNameEmailOrExternalId_eitherWay_tiesOldestFirst() {
        ApiOwner owner = newOwner();
        LeafUser bob1 = user(owner, "Bob", "z@farm.example", "e2", 1);
        LeafUser ann = user(owner, "Ann", "y@farm.example", "e3", 2);
        LeafUser bob3 = user(owner, "Bob", "x@farm.example", "e1", 3);
        LeafUser small = user(owner, "ann", null, null, 4);
        for (LeafUser u : java.util.List.of(bob3, ann, small, bob1)) {
            storage().users().insert(u);
        }

        assertEquals(java.util.List.of(ann, bob1, bob3, small), sorted(owner, UserFilter.SortKey.NAME, true));
        assertEquals(java.util.List.of(small, bob1, bob3, ann), sorted(owner, UserFilter.SortKey.NAME, false));
        assertEquals(java.util.List.of(small, bob3, ann, bob1), sorted(owner, UserFilter.SortKey.EMAIL, true));
        assertEquals(java.util.List.of(bob1, ann, bob3, small), sorted(owner, UserFilter.SortKey.EMAIL, false));
        assertEquals(java.util.List.of(small, bob3, bob1, ann), sorted(owner, UserFilter.SortKey.EXTERNAL_ID, true));
        assertEquals(java.util.List.of(ann, bob1, bob3, small), sorted(owner, UserFilter.SortKey.EXTERNAL_ID, false));
        assertEquals(java.util.List.of(bob1, ann, bob3, small), sorted(owner, UserFilter.SortKey.CREATED, true));
        assertEquals(java.util.List.of(small, bob3, ann, bob1), sorted(owner, UserFilter.SortKey.CREATED, false));

        UserFilter byNameDescending = new UserFilter(null, null, null, new UserFilter.Order(UserFilter.SortKey.NAME, false));
        var second = storage().users().list(owner.id(), byNameDescending, new PageRequest(1, 2, true));
        assertEquals(java.util.List.of(bob3, ann), second.items(), "pages follow the order; page.ascending() is not read");
        assertEquals(4, second.total());
        assertEquals(java.util.List.of(bob1, bob3), storage().users().list(owner.id(),
                new UserFilter(null, "Bob", null, byNameDescending.order()), new PageRequest(0, 10, false)).items());
    }

    @Test
    default void users_newestFirst_breaksTiesNewestInsertedFirst() {
        ApiOwner owner = newOwner();
        LeafUser first = newUser(owner, "First", 5);
        LeafUser second = newUser(owner, "Second", 5);
        LeafUser older = newUser(owner, "Older", 1);
        assertEquals(java.util.List.of(older, first, second), sorted(owner, UserFilter.SortKey.CREATED, true));
        assertEquals(java.util.List.of(second, first, older), sorted(owner, UserFilter.SortKey.CREATED, false));
    }

    private static LeafUser user(ApiOwner owner, String name, String email, String externalId, long createdSecondsAfterT0) {
        return new LeafUser(UUID.randomUUID(), owner.id(), name, email, null, null, externalId,
                at(createdSecondsAfterT0), at(createdSecondsAfterT0));
    }

    private java.util.List<LeafUser> sorted(ApiOwner owner, UserFilter.SortKey key, boolean ascending) {
        return storage().users().list(owner.id(), new UserFilter(null, null, null, new UserFilter.Order(key, ascending)),
                new PageRequest(0, 10, !ascending)).items();
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
    default void changes_ifOffered_tellWhichOwnerChanged() {
        if (storage().changes().isEmpty()) {
            return; // optional: a storage that cannot tell gets no answer cache
        }
        ChangeFeed feed = storage().changes().orElseThrow();
        java.util.List<UUID> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        feed.listen(new ChangeFeed.Listener() {
            @Override
            public void credentialChanged(UUID credentialId) {
            }

            @Override
            public void ownerChanged(UUID ownerId) {
                told.add(ownerId);
            }

            @Override
            public void anythingMayHaveChanged() {
            }
        });
        feed.catchUp();
        told.clear();
        ApiOwner owner = newOwner();
        storage().owners().setDisabled(owner.id(), true);
        feed.catchUp();
        assertTrue(told.contains(owner.id()), "told of " + owner.id() + ": " + told);
    }
}
