package io.granary.core.port.in;

import io.granary.core.domain.LeafUser;
import io.granary.core.domain.Page;
import io.granary.core.domain.PageRequest;
import io.granary.core.domain.UserFilter;
import java.util.Map;
import java.util.UUID;

/** Leaf users of one API owner. Another owner's user is reported as not found. */
public interface ManageUsersUseCase {

    LeafUser create(UUID ownerId, UserDraft draft);

    /** @throws NotFoundException */
    LeafUser get(UUID ownerId, UUID userId);

    Page<LeafUser> list(UUID ownerId, UserFilter filter, PageRequest page);

    /** Full replace. @throws NotFoundException */
    LeafUser replace(UUID ownerId, UUID userId, UserDraft draft);

    /** Changes only the members present in {@code patch}. @throws NotFoundException */
    LeafUser patch(UUID ownerId, UUID userId, Map<String, Object> patch);

    /** Deletes the user, its credentials and their events. @throws NotFoundException */
    void delete(UUID ownerId, UUID userId);
}
