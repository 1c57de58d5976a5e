package io.granary.core.testing.contract;

import static io.granary.core.testing.contract.StorageContract.at;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.granary.core.domain.Credential;
import io.granary.core.domain.CredentialEvent;
import io.granary.core.domain.Page;
import io.granary.core.domain.PageRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Provider-call events: pages newest first (or oldest first if asked), and retention. */
public interface EventStoreContract extends StorageContract {

    @Test
    default void page_isNewestFirst_orAscending_withTheTotal() {
        Credential c = newCredential(newUser(), "trimble", at(0));
        CredentialEvent e1 = event(c, at(1));
        CredentialEvent e2 = event(c, at(2));
        CredentialEvent e3 = event(c, at(3));
        storage().events().append(e2);
        storage().events().append(e1);
        storage().events().append(e3);
        Page<CredentialEvent> first = storage().events().page(c.id(), new PageRequest(0, 2, false));
        assertEquals(List.of(e3, e2), first.items());
        assertEquals(3, first.total());
        assertEquals(List.of(e1), storage().events().page(c.id(), new PageRequest(1, 2, false)).items());
        assertEquals(List.of(e1, e2, e3), storage().events().page(c.id(), new PageRequest(0, 10, true)).items());
    }

    @Test
    default void page_holdsOnlyThatCredentialsEvents() {
        Credential c = newCredential(newUser(), "trimble", at(0));
        Credential other = newCredential(newUser(), "trimble", at(0));
        storage().events().append(event(c, at(1)));
        storage().events().append(event(other, at(1)));
        assertEquals(1, storage().events().page(c.id(), new PageRequest(0, 10, false)).total());
    }

    @Test
    default void purgeOlderThan_deletesOnlyOlderEvents_andCountsThem() {
        Credential c = newCredential(newUser(), "trimble", at(0));
        storage().events().append(event(c, at(1)));
        storage().events().append(event(c, at(2)));
        CredentialEvent kept = event(c, at(3));
        storage().events().append(kept);
        assertEquals(2, storage().events().purgeOlderThan(at(3)));
        assertEquals(List.of(kept), storage().events().page(c.id(), new PageRequest(0, 10, false)).items());
        assertEquals(0, storage().events().purgeOlderThan(at(3)));
    }
}
