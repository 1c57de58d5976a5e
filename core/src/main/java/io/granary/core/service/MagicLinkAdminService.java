package io.granary.core.service;

import io.granary.core.domain.LeafUser;
import io.granary.core.domain.MagicLink;
import io.granary.core.domain.PageRequest;
import io.granary.core.domain.UserFilter;
import io.granary.core.port.in.UserDraft;
import io.granary.core.port.in.InvalidInputException;
import io.granary.core.port.in.ManageMagicLinksUseCase;
import io.granary.core.port.in.NotFoundException;
import io.granary.core.port.out.LeafUserStore;
import io.granary.core.port.out.MagicLinkStore;
import io.granary.spi.ProviderHttp;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The owner's side of magic links: creating (with the link's settings checked), listing and deleting them.
 * Links are rows without secrets; their URL is derived from {@link MagicLinkKeys}.
 */
public final class MagicLinkAdminService implements ManageMagicLinksUseCase {

    static final long MIN_EXPIRES_IN = 900;
    static final long MAX_EXPIRES_IN = 366L * 24 * 3600;

    private static final Pattern COLOR = Pattern.compile("#[0-9A-Fa-f]{3}|#[0-9A-Fa-f]{6}|[a-zA-Z]{3,20}");

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
    public MagicLink create(UUID ownerId, UUID leafUserId, Map<String, Object> body) {
        users.find(ownerId, leafUserId).orElseThrow(() -> UserService.notFound(leafUserId));
        long expiresIn = expiresIn(body.get("expiresIn"));
        List<String> allowed = allowedProviders(body.get("allowedProviders"));
        MagicLink.Settings settings = settings(body.get("settings"));
        Integer maxUsage = maxUsage(body.get("maxUsage"));
        Instant now = clock.instant();
        MagicLink link = new MagicLink(UUID.randomUUID(), ownerId, leafUserId, allowed, settings, now,
                now.plusSeconds(expiresIn), null, maxUsage, 0);
        links.insert(link);
        return link;
    }

    @Override
    public MagicLink createWithUser(UUID ownerId, Map<String, Object> body) {
        UserDraft draft = new UserDraft(UserDraft.text(body, "name"), UserDraft.text(body, "email"), null, null,
                UserDraft.text(body, "externalId"));
        if (draft.externalId() == null || draft.externalId().isBlank()) {
            throw new InvalidInputException("externalId", "'externalId' is required: it names the Leaf user to create or reuse");
        }
        // Every link member is checked before a user is created, so a bad body stores nothing.
        expiresIn(body.get("expiresIn"));
        allowedProviders(body.get("allowedProviders"));
        settings(body.get("settings"));
        maxUsage(body.get("maxUsage"));
        LeafUser user = users.list(ownerId, new UserFilter(null, null, draft.externalId()), new PageRequest(0, 1, true))
                .items().stream().findFirst().orElseGet(() -> {
                    Instant now = clock.instant();
                    LeafUser created = new LeafUser(UUID.randomUUID(), ownerId, draft.name(), draft.email(), null, null,
                            draft.externalId(), now, now);
                    users.insert(created);
                    return created;
                });
        return create(ownerId, user.id(), body);
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

    private static long expiresIn(Object value) {
        if (value == null) {
            return MIN_EXPIRES_IN;
        }
        if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new InvalidInputException("expiresIn", "'expiresIn' must be a whole number of seconds");
        }
        long seconds = n.longValue();
        if (seconds < MIN_EXPIRES_IN || seconds > MAX_EXPIRES_IN) {
            throw new InvalidInputException("expiresIn", "'expiresIn' must be between " + MIN_EXPIRES_IN + " and " + MAX_EXPIRES_IN + " seconds");
        }
        return seconds;
    }

    private static Integer maxUsage(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Integer n) || n < 1) {
            throw new InvalidInputException("maxUsage", "'maxUsage' must be a positive whole number");
        }
        return n;
    }

    /** Provider ids, case-insensitive; default: every OAuth provider with an authorization URL. */
    private List<String> allowedProviders(Object value) {
        OAuthHelperService helper = new OAuthHelperService(providers, http, clock);
        if (value == null) {
            return helper.providers().stream().map(slug -> helper.oauthProvider(slug).descriptor().id()).toList();
        }
        if (!(value instanceof List<?> list) || list.isEmpty() || list.size() > 50) {
            throw new InvalidInputException("allowedProviders", "'allowedProviders' must be a non-empty list of provider names");
        }
        List<String> ids = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof String name)) {
                throw new InvalidInputException("allowedProviders", "'allowedProviders' must hold provider names");
            }
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

    private static MagicLink.Settings settings(Object value) {
        if (value == null) {
            return new MagicLink.Settings(null, null, null, null, false, false);
        }
        if (!(value instanceof Map<?, ?> raw)) {
            throw new InvalidInputException("settings", "'settings' must be an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) raw;
        for (String name : map.keySet()) {
            if (!List.of("backgroundColor", "headerImage", "companyLogo", "companyName", "showLeafUserName", "disconnectEnabled").contains(name)) {
                throw new InvalidInputException("settings", "unknown setting '" + OAuthHelperService.printable(name) + "'");
            }
        }
        String color = OAuthHelperService.text(map, "backgroundColor", false);
        if (color != null && !COLOR.matcher(color).matches()) {
            throw new InvalidInputException("settings.backgroundColor", "'backgroundColor' must be a color like #1f6f43 or a color name");
        }
        String companyName = OAuthHelperService.text(map, "companyName", false);
        if (companyName != null && companyName.length() > 100) {
            throw new InvalidInputException("settings.companyName", "'companyName' is longer than 100 characters");
        }
        return new MagicLink.Settings(color, imageUrl(map, "headerImage"), imageUrl(map, "companyLogo"), companyName,
                flag(map, "showLeafUserName"), flag(map, "disconnectEnabled"));
    }

    /** Only absolute http(s) URLs: no javascript:, data: or relative tricks reach the page. */
    private static String imageUrl(Map<String, Object> map, String name) {
        String value = OAuthHelperService.text(map, name, false);
        if (value == null) {
            return null;
        }
        try {
            URI uri = new URI(value);
            if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null
                    && value.length() <= 1024) {
                return value;
            }
        } catch (java.net.URISyntaxException e) {
            // fall through
        }
        throw new InvalidInputException("settings." + name, "'" + name + "' must be an absolute http(s) image URL");
    }

    private static boolean flag(Map<String, Object> map, String name) {
        Object value = map.get(name);
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        throw new InvalidInputException("settings." + name, "'" + name + "' must be true or false");
    }
}
