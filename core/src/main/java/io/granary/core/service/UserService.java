package io.granary.core.service;

import io.granary.core.domain.LeafUser;
import io.granary.core.domain.Page;
import io.granary.core.domain.PageRequest;
import io.granary.core.domain.UserFilter;
import io.granary.core.port.in.ManageUsersUseCase;
import io.granary.core.port.in.NotFoundException;
import io.granary.core.port.in.UserDraft;
import io.granary.core.port.out.LeafUserStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

public final class UserService implements ManageUsersUseCase {

    private final LeafUserStore users;
    private final Clock clock;

    public UserService(LeafUserStore users, Clock clock) {
        this.users = users;
        this.clock = clock;
    }

    @Override
    public LeafUser create(UUID ownerId, UserDraft draft) {
        Instant now = clock.instant();
        LeafUser user = new LeafUser(UUID.randomUUID(), ownerId, draft.name(), draft.email(), draft.phone(),
                draft.address(), draft.externalId(), now, now);
        users.insert(user);
        return user;
    }

    @Override
    public LeafUser get(UUID ownerId, UUID userId) {
        return users.find(ownerId, userId).orElseThrow(() -> notFound(userId));
    }

    @Override
    public Page<LeafUser> list(UUID ownerId, UserFilter filter, PageRequest page) {
        return users.list(ownerId, filter, page);
    }

    @Override
    public LeafUser replace(UUID ownerId, UUID userId, UserDraft draft) {
        return save(get(ownerId, userId), draft);
    }

    @Override
    public LeafUser patch(UUID ownerId, UUID userId, Map<String, Object> patch) {
        LeafUser current = get(ownerId, userId);
        UserDraft draft = new UserDraft(current.name(), current.email(), current.phone(), current.address(), current.externalId());
        return save(current, draft.merge(patch));
    }

    @Override
    public void delete(UUID ownerId, UUID userId) {
        if (!users.delete(ownerId, userId)) {
            throw notFound(userId);
        }
    }

    private LeafUser save(LeafUser current, UserDraft draft) {
        LeafUser updated = new LeafUser(current.id(), current.ownerId(), draft.name(), draft.email(), draft.phone(),
                draft.address(), draft.externalId(), current.createdAt(), clock.instant());
        if (!users.update(updated)) {
            throw notFound(current.id());
        }
        return updated;
    }

    static NotFoundException notFound(UUID userId) {
        return new NotFoundException("no Leaf user " + userId);
    }
}
