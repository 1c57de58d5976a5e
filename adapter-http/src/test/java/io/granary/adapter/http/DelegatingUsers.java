package io.granary.adapter.http;

import io.granary.core.domain.LeafUser;
import io.granary.core.domain.Page;
import io.granary.core.domain.PageRequest;
import io.granary.core.domain.UserFilter;
import io.granary.core.domain.Credential;
import io.granary.core.port.in.CredentialLinks;
import io.granary.core.port.in.ManageUsersUseCase;
import java.util.List;
import io.granary.core.port.in.PatchUserCommand;
import io.granary.core.port.in.UserDraft;
import java.util.Map;
import java.util.UUID;

/**
 * Hand-written decorator over the real users service: tests override one method to produce failures
 * (storage outage, a bug) that the real services cannot be made to produce on demand.
 */
class DelegatingUsers implements ManageUsersUseCase {
    private final ManageUsersUseCase real;

    DelegatingUsers(ManageUsersUseCase real) {
        this.real = real;
    }

    @Override
    public LeafUser create(UUID ownerId, UserDraft draft, CredentialLinks links) {
        return real.create(ownerId, draft, links);
    }

    @Override
    public LeafUser get(UUID ownerId, UUID userId) {
        return real.get(ownerId, userId);
    }

    @Override
    public Page<LeafUser> list(UUID ownerId, UserFilter filter, PageRequest page) {
        return real.list(ownerId, filter, page);
    }

    @Override
    public LeafUser replace(UUID ownerId, UUID userId, UserDraft draft, CredentialLinks links) {
        return real.replace(ownerId, userId, draft, links);
    }

    @Override
    public List<Credential> credentials(UUID ownerId, UUID userId) {
        return real.credentials(ownerId, userId);
    }

    @Override
    public LeafUser patch(UUID ownerId, UUID userId, PatchUserCommand patch) {
        return real.patch(ownerId, userId, patch);
    }

    @Override
    public void delete(UUID ownerId, UUID userId) {
        real.delete(ownerId, userId);
    }
}
