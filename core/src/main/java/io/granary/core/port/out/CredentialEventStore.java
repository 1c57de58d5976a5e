package io.granary.core.port.out;

import io.granary.core.domain.CredentialEvent;
import io.granary.core.domain.Page;
import io.granary.core.domain.PageRequest;
import java.time.Instant;
import java.util.UUID;

/** Storage of provider-call events (already redacted). */
public interface CredentialEventStore {

    void append(CredentialEvent event);

    /** Newest first unless the page asks for ascending order. */
    Page<CredentialEvent> page(UUID credentialId, PageRequest page);

    /** @return how many events were deleted */
    int purgeOlderThan(Instant cutoff);
}
