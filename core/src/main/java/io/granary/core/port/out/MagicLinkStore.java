package io.granary.core.port.out;

import io.granary.core.domain.MagicLink;
import io.granary.core.domain.PendingAuthorization;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Magic links and the consents started from them. */
public interface MagicLinkStore {

    void insert(MagicLink link);

    Optional<MagicLink> find(UUID ownerId, UUID id);

    /** For the grower's browser, which has the link's secret but no owner. */
    Optional<MagicLink> findById(UUID id);

    /** Newest first. */
    List<MagicLink> list(UUID ownerId);

    /** Deletes the link and its pending consents. */
    boolean delete(UUID ownerId, UUID id);

    /** Counts one opening of the link page. */
    void recordAccess(UUID id, Instant at);

    /** Stores a consent in progress and drops those expired before {@code now}. */
    void savePending(PendingAuthorization pending, Instant now);

    /** Removes and returns the consent stored under this state hash: atomic, so one state is honoured once. */
    Optional<PendingAuthorization> takePending(String stateHash);
}
