package io.granary.core.service;

import io.granary.core.domain.LeafUser;
import io.granary.core.domain.MagicLink;
import io.granary.core.domain.PageRequest;
import io.granary.core.domain.UserFilter;
import io.granary.core.port.in.UserDraft;
import io.granary.core.port.in.InvalidInputException;
import io.granary.core.port.in.MagicLinkCommand;
import io.granary.core.port.in.MagicLinkForUserCommand;
import io.granary.core.port.in.ManageMagicLinksUseCase;
import io.granary.core.port.in.NotFoundException;
import io.granary.core.port.out.LeafUserStore;
import io.granary.core.port.out.MagicLinkStore;
import io.granary.spi.ProviderHttp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The owner's side of magic links: creating (with the link's settings checked), listing and deleting them.
 * Links are rows without secrets; their URL is derived from {@link MagicLinkKeys}.
 */
public final class MagicLinkAdminService implements ManageMagicLinksUseCase {

    private final ProviderRegistry providers;
    private final MagicLinkStore links;
    private final LeafUserStore users;
    private final ProviderHttp http;
    private final Clock clock;
    private final MagicLinkKeys keys;

    public MagicLinkAdminService(ProviderRegistry providers, MagicLinkStore links, LeafUserStore users, ProviderHttp http,
                                 Clock clock, MagicLinkKeys keys) {
        this.providers = providers;
        this.links = links;
        this.users = users;
        this.http = http;
        this.clock = clock;
        this.keys = keys;
    }

    @Override
    public MagicLink create(UUID ownerId, UUID leafUserId, MagicLinkCommand command) {
        users.find(ownerId, leafUserId).orElseThrow(() -> UserService.notFound(leafUserId));
        return insert(ownerId, leafUserId, command, allowedProviders(command.allowedProviders()));
    }

    @Override
    public MagicLink createWithUser(UUID ownerId, MagicLinkForUserCommand command) {
        UserDraft draft = command.user();
        // Checked before a user is created, so a bad provider name stores nothing.
        List<String> allowed = allowedProviders(command.link().allowedProviders());
        LeafUser user = users.list(ownerId, new UserFilter(null, null, draft.externalId()), new PageRequest(0, 1, true))
                .items().stream().findFirst().orElseGet(() -> {
                    Instant now = clock.instant();
                    LeafUser created = new LeafUser(UUID.randomUUID(), ownerId, draft.name(), draft.email(), null, null,
                            draft.externalId(), now, now);
                    users.insert(created);
                    return created;
                });
        return insert(ownerId, user.id(), command.link(), allowed);
    }

    private MagicLink insert(UUID ownerId, UUID leafUserId, MagicLinkCommand command, List<String> allowed) {
        Instant now = clock.instant();
        MagicLink link = new MagicLink(UUID.randomUUID(), ownerId, leafUserId, allowed, command.settings(), now,
                now.plusSeconds(command.expiresIn()), null, command.maxUsage(), 0);
        links.insert(link);
        return link;
    }

    @Override
    public List<MagicLink> list(UUID ownerId) {
        return links.list(ownerId);
    }

    @Override
    public MagicLink get(UUID ownerId, UUID id) {
        return links.find(ownerId, id).orElseThrow(() -> new NotFoundException("no magic link " + id));
    }

    @Override
    public void delete(UUID ownerId, UUID id) {
        if (!links.delete(ownerId, id)) {
            throw new NotFoundException("no magic link " + id);
        }
    }

    @Override
    public String link(MagicLink link) {
        return keys.linkUrl(link.id());
    }

    /** Provider ids for the names, case-insensitive; default: every OAuth provider with an authorization URL. */
    private List<String> allowedProviders(List<String> names) {
        OAuthHelperService helper = new OAuthHelperService(providers, http, clock);
        if (names == null) {
            return helper.providers().stream().map(slug -> helper.oauthProvider(slug).descriptor().id()).toList();
        }
        List<String> ids = new ArrayList<>();
        for (String name : names) {
            String id;
            try {
                id = helper.oauthProvider(name).descriptor().id();
            } catch (NotFoundException e) {
                throw new InvalidInputException("allowedProviders", "'" + OAuthHelperService.printable(name)
                        + "' is not a provider a grower can connect through a link");
            }
            if (!ids.contains(id)) {
                ids.add(id);
            }
        }
        return ids;
    }
}
