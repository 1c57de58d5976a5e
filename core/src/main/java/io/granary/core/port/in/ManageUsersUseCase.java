package io.granary.core.port.in;

import io.granary.core.domain.Credential;
import io.granary.core.domain.LeafUser;
import io.granary.core.domain.Page;
import io.granary.core.domain.PageRequest;
import io.granary.core.domain.UserFilter;
import java.util.List;
import java.util.UUID;

/** Leaf users of one API owner. Another owner's user is reported as not found. */
public interface ManageUsersUseCase {

    default LeafUser create(UUID ownerId, UserDraft draft) {
        return create(ownerId, draft, CredentialLinks.NONE);
    }

    /**
     * A new user has no credentials, so a link naming a credential is refused (credentials are attached to an
     * existing user); {@code null} or {@code {}} links are accepted and name nothing.
     *
     * @throws InvalidInputException for a link that names a credential or a provider Granary does not serve
     */
    LeafUser create(UUID ownerId, UserDraft draft, CredentialLinks links);

    /** @throws NotFoundException */
    LeafUser get(UUID ownerId, UUID userId);

    Page<LeafUser> list(UUID ownerId, UserFilter filter, PageRequest page);

    default LeafUser replace(UUID ownerId, UUID userId, UserDraft draft) {
        return replace(ownerId, userId, draft, CredentialLinks.NONE);
    }

    /**
     * Full replace of the user's fields. Credentials are never detached here: a link naming the credential this user
     * has for that provider keeps it, and a missing or null link keeps it too (detach with the credential route).
     *
     * @throws InvalidInputException for a link to a credential that is not this user's for that provider (another
     *                               user's, another owner's, unknown); nothing is stored then
     * @throws NotFoundException     for an unknown user
     */
    LeafUser replace(UUID ownerId, UUID userId, UserDraft draft, CredentialLinks links);

    /** Changes only the fields present in {@code patch}; links are checked as by replace. @throws NotFoundException */
    LeafUser patch(UUID ownerId, UUID userId, PatchUserCommand patch);

    /** Deletes the user, its credentials and their events. @throws NotFoundException */
    void delete(UUID ownerId, UUID userId);

    /** The credentials attached to the user, as stored (never refreshed here), in provider order. @throws NotFoundException */
    List<Credential> credentials(UUID ownerId, UUID userId);
}
