package io.granary.core.service;

import io.granary.core.domain.Credential;
import io.granary.core.domain.LeafUser;
import io.granary.core.domain.Page;
import io.granary.core.domain.PageRequest;
import io.granary.core.domain.UserFilter;
import io.granary.core.port.in.CredentialLinks;
import io.granary.core.port.in.InvalidInputException;
import io.granary.core.port.in.ManageUsersUseCase;
import io.granary.core.port.in.NotFoundException;
import io.granary.core.port.in.PatchUserCommand;
import io.granary.core.port.in.UserDraft;
import io.granary.core.port.out.CredentialStore;
import io.granary.core.port.out.LeafUserStore;
import io.granary.spi.ProviderDescriptor;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

public final class UserService implements ManageUsersUseCase {

    /**
     * Links Leaf's user resource documents for providers Granary has no plugin for
     * (https://docs.withleaf.io/docs/user_management_endpoints, "Form of a Leaf User resource"): accepted when they
     * name no credential, so a body copied from Leaf still works.
     */
    static final Set<String> LEAF_LINKS_NOT_SERVED = Set.of("lindsayCredentials", "valleyCredentials");

    private final LeafUserStore users;
    private final CredentialStore credentials;
    private final ProviderRegistry providers;
    private final Clock clock;

    public UserService(LeafUserStore users, CredentialStore credentials, ProviderRegistry providers, Clock clock) {
        this.users = users;
        this.credentials = credentials;
        this.providers = providers;
        this.clock = clock;
    }

    @Override
    public LeafUser create(UUID ownerId, UserDraft draft, CredentialLinks links) {
        providersOf(links);
        if (!links.ids().isEmpty()) {
            String link = links.ids().keySet().iterator().next();
            throw new InvalidInputException(link, "Granary attaches credentials to an existing user: create the user"
                    + " without '" + link + "', then POST the credential to /users/{id}/<provider>-credentials");
        }
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
    public LeafUser replace(UUID ownerId, UUID userId, UserDraft draft, CredentialLinks links) {
        LeafUser current = get(ownerId, userId);
        checkLinks(current, links);
        return save(current, draft);
    }

    @Override
    public LeafUser patch(UUID ownerId, UUID userId, PatchUserCommand patch) {
        LeafUser current = get(ownerId, userId);
        UserDraft draft = new UserDraft(current.name(), current.email(), current.phone(), current.address(), current.externalId());
        checkLinks(current, patch.links());
        return save(current, patch.applyTo(draft));
    }

    @Override
    public void delete(UUID ownerId, UUID userId) {
        if (!users.delete(ownerId, userId)) {
            throw notFound(userId);
        }
    }

    @Override
    public List<Credential> credentials(UUID ownerId, UUID userId) {
        get(ownerId, userId);
        return providers.descriptors().stream()
                .map(p -> credentials.find(ownerId, userId, p.id()))
                .flatMap(Optional::stream)
                .toList();
    }

    /**
     * A link may only name the credential this user already has for that provider: Granary's credentials belong to
     * the user they were attached to, so there is nothing to move. Another user's or owner's credential, or an unknown
     * id, gets one answer, so the 400 does not tell which ids exist.
     */
    private void checkLinks(LeafUser user, CredentialLinks links) {
        Map<String, ProviderDescriptor> byLink = providersOf(links);
        for (Map.Entry<String, UUID> link : links.ids().entrySet()) {
            ProviderDescriptor provider = byLink.get(link.getKey());
            boolean own = credentials.findById(link.getValue())
                    .filter(c -> c.ownerId().equals(user.ownerId()) && c.leafUserId().equals(user.id())
                            && c.providerId().equals(provider.id()))
                    .isPresent();
            if (!own) {
                throw new InvalidInputException(link.getKey(), "'" + link.getKey() + "' names no " + provider.displayName()
                        + " credential of this user; attach one with POST /users/{id}/" + provider.endpointSuffix());
            }
        }
    }

    /** The provider of every link that names a credential. @throws InvalidInputException for an unknown link name */
    private Map<String, ProviderDescriptor> providersOf(CredentialLinks links) {
        Map<String, ProviderDescriptor> byLink = new java.util.HashMap<>();
        for (ProviderDescriptor provider : providers.descriptors()) {
            byLink.put(CredentialLinks.nameOf(provider.endpointSuffix()), provider);
        }
        for (String name : links.emptyOnes()) {
            if (!byLink.containsKey(name) && !LEAF_LINKS_NOT_SERVED.contains(name)) {
                throw unknownLink(name);
            }
        }
        for (String name : links.ids().keySet()) {
            if (LEAF_LINKS_NOT_SERVED.contains(name)) {
                throw new InvalidInputException(name, "Granary does not serve the provider of '" + name + "'");
            }
            if (!byLink.containsKey(name)) {
                throw unknownLink(name);
            }
        }
        return byLink;
    }

    private static InvalidInputException unknownLink(String name) {
        return new InvalidInputException(name, "unknown field '" + name + "'");
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
