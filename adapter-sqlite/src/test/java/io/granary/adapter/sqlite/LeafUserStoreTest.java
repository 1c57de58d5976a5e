package io.granary.adapter.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.domain.ApiOwner;
import io.granary.core.domain.Credential;
import io.granary.core.domain.CredentialEvent;
import io.granary.core.domain.LeafUser;
import io.granary.core.domain.Page;
import io.granary.core.domain.PageRequest;
import io.granary.core.domain.UserFilter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class LeafUserStoreTest {

    @TempDir
    Path dir;
    private SqliteStorage storage;
    private ApiOwner owner;

    @BeforeEach
    void open() {
        storage = SqliteStorage.open(dir.resolve("g.db"), Fixtures.sealer("k1"));
        owner = Fixtures.insertOwner(storage);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void insert_find_update() {
        LeafUser user = Fixtures.user(owner, "Ann");
        storage.users().insert(user);
        assertEquals(user, storage.users().find(owner.id(), user.id()).orElseThrow());

        LeafUser renamed = new LeafUser(user.id(), owner.id(), "Anne", null, null, null, "x9", user.createdAt(),
                Fixtures.at(5));
        assertTrue(storage.users().update(renamed));
        assertEquals(renamed, storage.users().find(owner.id(), user.id()).orElseThrow());
    }

    @Test
    void find_update_delete_whenUserBelongsToOtherOwner_actAsIfAbsent() {
        ApiOwner other = Fixtures.insertOwner(storage);
        LeafUser user = Fixtures.insertUser(storage, owner);
        LeafUser hijack = new LeafUser(user.id(), other.id(), "X", null, null, null, null, user.createdAt(), Fixtures.at(1));

        assertTrue(storage.users().find(other.id(), user.id()).isEmpty());
        assertFalse(storage.users().update(hijack));
        assertFalse(storage.users().delete(other.id(), user.id()));
        assertEquals(0, storage.users().list(other.id(), UserFilter.NONE, new PageRequest(0, 10, false)).total());
        assertEquals(user, storage.users().find(owner.id(), user.id()).orElseThrow());
    }

    @Test
    void list_pagesOldestFirst_andFiltersExactly() {
        LeafUser a = withCreated(Fixtures.user(owner, "Ann"), 1);
        LeafUser b = withCreated(Fixtures.user(owner, "Bob"), 2);
        LeafUser c = withCreated(Fixtures.user(owner, "Cy"), 3);
        storage.users().insert(c);
        storage.users().insert(a);
        storage.users().insert(b);

        Page<LeafUser> first = storage.users().list(owner.id(), UserFilter.NONE, new PageRequest(0, 2, false));
        assertEquals(List.of(a, b), first.items());
        assertEquals(3, first.total());
        assertEquals(List.of(c), storage.users().list(owner.id(), UserFilter.NONE, new PageRequest(1, 2, false)).items());

        assertEquals(List.of(b), storage.users().list(owner.id(), new UserFilter("bob@farm.example", null, null),
                new PageRequest(0, 10, false)).items());
        assertEquals(List.of(c), storage.users().list(owner.id(), new UserFilter(null, "Cy", null),
                new PageRequest(0, 10, false)).items());
        Page<LeafUser> byExternal = storage.users().list(owner.id(), new UserFilter(null, null, "ext-Ann"),
                new PageRequest(0, 10, false));
        assertEquals(List.of(a), byExternal.items());
        assertEquals(1, byExternal.total());
    }

    @Test
    void list_sortedByName_eitherWay_tiesOldestFirst_orNewestFirst() {
        LeafUser bob1 = withCreated(Fixtures.user(owner, "Bob"), 1);
        LeafUser ann = withCreated(Fixtures.user(owner, "Ann"), 2);
        LeafUser bob2 = withCreated(Fixtures.user(owner, "Bob"), 3);
        storage.users().insert(bob2);
        storage.users().insert(ann);
        storage.users().insert(bob1);
        PageRequest all = new PageRequest(0, 10, true);

        assertEquals(List.of(ann, bob1, bob2), storage.users().list(owner.id(), byName(true), all).items());
        assertEquals(List.of(bob1, bob2, ann), storage.users().list(owner.id(), byName(false), all).items());
        assertEquals(List.of(bob2, ann, bob1), storage.users().list(owner.id(), new UserFilter(null, null, null,
                new UserFilter.Order(UserFilter.SortKey.CREATED, false)), all).items());
        assertEquals(List.of(bob1), storage.users().list(owner.id(), byName(false), new PageRequest(0, 1, true)).items());
    }

    private static UserFilter byName(boolean ascending) {
        return new UserFilter(null, null, null, new UserFilter.Order(UserFilter.SortKey.NAME, ascending));
    }

    @Test
    void delete_cascadesToCredentialsFieldsAndEvents() throws SQLException {
        LeafUser user = Fixtures.insertUser(storage, owner);
        Credential cred = Fixtures.insertCredential(storage, user, "JohnDeere", Fixtures.at(60));
        storage.events().append(new CredentialEvent(UUID.randomUUID(), cred.id(), Fixtures.at(1), "POST",
                "https://x.example/token", 200, "{}", "{}", 12));

        assertTrue(storage.users().delete(owner.id(), user.id()));

        assertTrue(storage.users().find(owner.id(), user.id()).isEmpty());
        assertTrue(storage.credentials().findById(cred.id()).isEmpty());
        try (Connection c = Fixtures.raw(dir.resolve("g.db")); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM credentials) + (SELECT count(*) FROM"
                     + " credential_fields) + (SELECT count(*) FROM credential_events)")) {
            assertTrue(rs.next());
            assertEquals(0, rs.getInt(1));
        }
    }

    private static LeafUser withCreated(LeafUser u, long seconds) {
        return new LeafUser(u.id(), u.ownerId(), u.name(), u.email(), u.phone(), u.address(), u.externalId(),
                Fixtures.at(seconds), Fixtures.at(seconds));
    }
}
