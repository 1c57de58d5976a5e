package io.granary.core.testing.contract;

import static io.granary.core.testing.contract.StorageContract.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.domain.Credential;
import io.granary.core.domain.LeafUser;
import io.granary.core.domain.OrganizationStatus;
import io.granary.core.domain.SeenOrganization;
import io.granary.core.port.out.ProviderOrganizationStore;
import io.granary.spi.ProviderOrganization;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The organizations each credential's grant saw at its latest refresh (Leaf's organization routes). */
public interface ProviderOrganizationContract extends StorageContract {

    private static ProviderOrganization org(String id, boolean connected) {
        return new ProviderOrganization(id, "Org " + id, connected, connected ? "https://connections.example/" + id : null);
    }

    private ProviderOrganizationStore orgs() {
        return storage().providerOrganizations();
    }

    @Test
    default void organizations_keepTheProvidersOrder_andEachRefreshReplacesTheWholeList() {
        Credential c = newCredential(newUser(), "johndeere", at(60));
        assertEquals(List.of(), orgs().list(c.id()));

        orgs().saveSeen(c.id(), List.of(org("b", true), org("a", false)), at(1));
        assertEquals(List.of(new SeenOrganization("b", "Org b", true, "https://connections.example/b", null, at(1)),
                new SeenOrganization("a", "Org a", false, null, null, at(1))), orgs().list(c.id()));

        orgs().saveSeen(c.id(), List.of(org("c", true)), at(2));
        assertEquals(List.of(new SeenOrganization("c", "Org c", true, "https://connections.example/c", null, at(2))),
                orgs().list(c.id()));
        orgs().saveSeen(c.id(), List.of(), at(3));
        assertEquals(List.of(), orgs().list(c.id()));
    }

    @Test
    default void organizations_ofOneCredential_areNotAnothers() {
        LeafUser user = newUser();
        Credential deere = newCredential(user, "johndeere", at(60));
        Credential trimble = newCredential(user, "trimble", at(60));
        orgs().saveSeen(deere.id(), List.of(org("a", true)), at(1));
        orgs().saveSeen(trimble.id(), List.of(org("t", true)), at(1));

        assertTrue(orgs().choose(deere.id(), "a", OrganizationStatus.SELECTED));
        assertFalse(orgs().choose(trimble.id(), "a", OrganizationStatus.SELECTED));
        assertEquals(List.of("t"), orgs().list(trimble.id()).stream().map(SeenOrganization::id).toList());
        assertNull(orgs().list(trimble.id()).get(0).chosen());
    }

    @Test
    default void organizations_aChoiceSurvivesRefreshesWhileSeen_andIsForgottenOnceNotSeen() {
        Credential c = newCredential(newUser(), "johndeere", at(60));
        orgs().saveSeen(c.id(), List.of(org("a", true), org("b", true)), at(1));

        assertTrue(orgs().choose(c.id(), "a", OrganizationStatus.PREVIEW));
        assertFalse(orgs().choose(c.id(), "zzz", OrganizationStatus.PREVIEW));
        assertFalse(orgs().choose(UUID.randomUUID(), "a", OrganizationStatus.PREVIEW));
        assertThrows(IllegalArgumentException.class, () -> orgs().choose(c.id(), "a", OrganizationStatus.BLOCKED));
        assertEquals(OrganizationStatus.PREVIEW, orgs().list(c.id()).get(0).chosen());

        orgs().saveSeen(c.id(), List.of(org("b", true), org("a", false)), at(2));
        List<SeenOrganization> after = orgs().list(c.id());
        assertEquals(List.of("b", "a"), after.stream().map(SeenOrganization::id).toList());
        assertNull(after.get(0).chosen());
        assertEquals(new SeenOrganization("a", "Org a", false, null, OrganizationStatus.PREVIEW, at(2)), after.get(1),
                "the choice is kept while seen, even when no longer connected; the rest is the latest refresh's");

        orgs().saveSeen(c.id(), List.of(org("b", true)), at(3));
        orgs().saveSeen(c.id(), List.of(org("a", true)), at(4));
        assertNull(orgs().list(c.id()).get(0).chosen(), "forgotten once not seen");
    }

    @Test
    default void organizations_listedTwiceByTheProvider_keepTheFirst() {
        Credential c = newCredential(newUser(), "johndeere", at(60));
        orgs().saveSeen(c.id(), List.of(org("a", true), org("b", false), org("a", false)), at(1));
        List<SeenOrganization> stored = orgs().list(c.id());
        assertEquals(List.of("a", "b"), stored.stream().map(SeenOrganization::id).toList());
        assertTrue(stored.get(0).connected());
    }

    @Test
    default void organizations_goWithTheirCredential_andAGoneCredentialStoresNothing() {
        LeafUser user = newUser();
        Credential c = newCredential(user, "johndeere", at(60));
        orgs().saveSeen(c.id(), List.of(org("a", true)), at(1));
        assertTrue(storage().credentials().delete(user.ownerId(), user.id(), "johndeere"));
        assertEquals(List.of(), orgs().list(c.id()));

        // A refresh finishing after the delete: no error, nothing stored.
        orgs().saveSeen(c.id(), List.of(org("b", true)), at(2));
        assertEquals(List.of(), orgs().list(c.id()));
        orgs().saveSeen(UUID.randomUUID(), List.of(org("b", true)), at(2));
    }

    @Test
    default void organizations_goWithTheirUser() {
        LeafUser user = newUser();
        Credential c = newCredential(user, "johndeere", at(60));
        orgs().saveSeen(c.id(), List.of(org("a", true)), at(1));
        assertTrue(storage().users().delete(user.ownerId(), user.id()));
        assertEquals(List.of(), orgs().list(c.id()));
    }
}
