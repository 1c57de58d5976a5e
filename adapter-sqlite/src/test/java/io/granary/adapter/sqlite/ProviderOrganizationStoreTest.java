package io.granary.adapter.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.domain.ApiOwner;
import io.granary.core.domain.Credential;
import io.granary.core.domain.LeafUser;
import io.granary.core.domain.OrganizationStatus;
import io.granary.core.domain.SeenOrganization;
import io.granary.spi.ProviderOrganization;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider organizations store on a real SQLite file. */
final class ProviderOrganizationStoreTest {

    @TempDir
    Path dir;
    private SqliteStorage storage;
    private LeafUser user;
    private Credential credential;

    @BeforeEach
    void open() {
        storage = SqliteStorage.open(dir.resolve("g.db"), Fixtures.sealer("k1"));
        ApiOwner owner = Fixtures.insertOwner(storage);
        user = Fixtures.insertUser(storage, owner);
        credential = Fixtures.insertCredential(storage, user, "JohnDeere", Fixtures.at(60));
    }

    @AfterEach
    void close() {
        storage.close();
    }

    private static ProviderOrganization org(String id, boolean connected) {
        return new ProviderOrganization(id, "Org " + id, connected, connected ? "https://connections.example/" + id : null);
    }

    @Test
    void saveSeen_keepsProviderOrder_andReplacesTheWholeList() {
        storage.providerOrganizations().saveSeen(credential.id(), List.of(org("b", true), org("a", false)), Fixtures.at(1));

        List<SeenOrganization> first = storage.providerOrganizations().list(credential.id());
        assertEquals(List.of(new SeenOrganization("b", "Org b", true, "https://connections.example/b", null, Fixtures.at(1)),
                new SeenOrganization("a", "Org a", false, null, null, Fixtures.at(1))), first);

        storage.providerOrganizations().saveSeen(credential.id(), List.of(org("c", true)), Fixtures.at(2));
        assertEquals(List.of("c"), storage.providerOrganizations().list(credential.id()).stream().map(SeenOrganization::id).toList());
        storage.providerOrganizations().saveSeen(credential.id(), List.of(), Fixtures.at(3));
        assertEquals(List.of(), storage.providerOrganizations().list(credential.id()));
    }

    @Test
    void choose_survivesTheNextRefresh_whileSeen_andGoesWhenNotSeen() {
        storage.providerOrganizations().saveSeen(credential.id(), List.of(org("a", true), org("b", true)), Fixtures.at(1));

        assertTrue(storage.providerOrganizations().choose(credential.id(), "a", OrganizationStatus.PREVIEW));
        assertFalse(storage.providerOrganizations().choose(credential.id(), "zzz", OrganizationStatus.PREVIEW));
        assertFalse(storage.providerOrganizations().choose(UUID.randomUUID(), "a", OrganizationStatus.PREVIEW));
        assertThrows(IllegalArgumentException.class,
                () -> storage.providerOrganizations().choose(credential.id(), "a", OrganizationStatus.BLOCKED));

        storage.providerOrganizations().saveSeen(credential.id(), List.of(org("b", true), org("a", false)), Fixtures.at(2));
        List<SeenOrganization> after = storage.providerOrganizations().list(credential.id());
        assertNull(after.get(0).chosen());
        assertEquals(OrganizationStatus.PREVIEW, after.get(1).chosen(), "kept while seen, even when no longer connected");
        assertEquals(Fixtures.at(2), after.get(1).seenAt());

        storage.providerOrganizations().saveSeen(credential.id(), List.of(org("b", true)), Fixtures.at(3));
        storage.providerOrganizations().saveSeen(credential.id(), List.of(org("a", true)), Fixtures.at(4));
        assertNull(storage.providerOrganizations().list(credential.id()).get(0).chosen(), "forgotten once not seen");
    }

    @Test
    void aDuplicateInTheProvidersList_keepsTheFirst() {
        storage.providerOrganizations().saveSeen(credential.id(), List.of(org("a", true), org("a", false)), Fixtures.at(1));
        List<SeenOrganization> stored = storage.providerOrganizations().list(credential.id());
        assertEquals(1, stored.size());
        assertTrue(stored.get(0).connected());
    }

    @Test
    void rowsGoWithTheirCredential_andAGoneCredentialStoresNothing() throws Exception {
        storage.providerOrganizations().saveSeen(credential.id(), List.of(org("a", true)), Fixtures.at(1));
        assertTrue(storage.credentials().delete(user.ownerId(), user.id(), "JohnDeere"));

        storage.providerOrganizations().saveSeen(credential.id(), List.of(org("b", true)), Fixtures.at(2));

        assertEquals(List.of(), storage.providerOrganizations().list(credential.id()));
        try (Connection c = Fixtures.raw(dir.resolve("g.db")); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM provider_organizations")) {
            assertTrue(rs.next());
            assertEquals(0, rs.getInt(1));
        }
    }
}
