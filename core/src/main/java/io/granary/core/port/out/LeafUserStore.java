package io.granary.core.port.out;

import io.granary.core.domain.LeafUser;
import io.granary.core.domain.Page;
import io.granary.core.domain.PageRequest;
import io.granary.core.domain.UserFilter;
import java.util.Optional;
import java.util.UUID;

/** Storage of Leaf users. Every lookup is scoped to an owner: another owner's user does not exist. */
public interface LeafUserStore {

    void insert(LeafUser user);

    Optional<LeafUser> find(UUID ownerId, UUID id);

    /** Oldest first, so pages stay stable while users are added. */
    Page<LeafUser> list(UUID ownerId, UserFilter filter, PageRequest page);

    /** @return false if no such user for this owner */
    boolean update(LeafUser user);

    /** Deletes the user with its credentials and their events, in one transaction. */
    boolean delete(UUID ownerId, UUID id);
}
