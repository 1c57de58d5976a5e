package io.granary.core.service;

import io.granary.core.domain.AppKey;
import io.granary.core.domain.Credential;
import io.granary.core.domain.LeafUser;
import io.granary.core.domain.MagicLink;
import io.granary.core.domain.PageRequest;
import io.granary.core.domain.UserFilter;
import io.granary.core.domain.PendingAuthorization;
import io.granary.core.port.in.ConflictException;
import io.granary.core.port.in.UserDraft;
import io.granary.core.port.in.ConnectProvidersUseCase;
import io.granary.core.port.in.InvalidInputException;
import io.granary.core.port.in.ManageCredentialsUseCase;
import io.granary.core.port.in.ManageMagicLinksUseCase;
import io.granary.core.port.in.NotFoundException;
import io.granary.core.port.out.AppKeyStore;
import io.granary.core.port.out.CredentialStore;
import io.granary.core.port.out.LeafUserStore;
import io.granary.core.port.out.MagicLinkStore;
import io.granary.spi.AuthorizationRequest;
import io.granary.spi.CodeExchangeException;
import io.granary.spi.Pkce;
import io.granary.spi.ProviderAdapter;
import io.granary.spi.ProviderDescriptor;
import io.granary.spi.ProviderHttp;
import io.granary.spi.ProviderUnreachableException;
import io.granary.spi.TokenUpdate;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Magic links, both sides. The link's secret is {@code <id>.<HMAC(key, id)>}: nothing secret is stored, and
 * deleting the row kills the link. A consent's state is stored only as a hash and taken once; its PKCE
 * verifier is an HMAC of the state, so it is never stored either.
 */
public final class MagicLinkService implements ManageMagicLinksUseCase, ConnectProvidersUseCase {

    public static final String CALLBACK_PATH = "/services/widgets/callback";
    public static final String LINK_PATH = "/services/widgets/magic-link";
    static final long MIN_EXPIRES_IN = 900;
    static final long MAX_EXPIRES_IN = 366L * 24 * 3600;
    static final Duration CONSENT_TIME = Duration.ofMinutes(15);

    private static final Logger LOG = System.getLogger(MagicLinkService.class.getName());
    private static final Pattern COLOR = Pattern.compile("#[0-9A-Fa-f]{3}|#[0-9A-Fa-f]{6}|[a-zA-Z]{3,20}");
    private static final Pattern TOKEN = Pattern.compile(
            "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\\.([A-Za-z0-9_-]{43})");

    private final ProviderRegistry providers;
    private final AppKeyStore appKeys;
    private final MagicLinkStore links;
    private final LeafUserStore users;
    private final CredentialStore credentialStore;
    private final ManageCredentialsUseCase credentials;
    private final ProviderHttp http;
    private final Clock clock;
    private final byte[] key;
    private final String publicUrl;

    /**
     * @param key       at least 32 random bytes, stable across restarts (links die with it)
     * @param publicUrl how browsers reach Granary, without a trailing slash: links and the redirect URI use it
     */
    public MagicLinkService(ProviderRegistry providers, AppKeyStore appKeys, MagicLinkStore links, LeafUserStore users,
                            CredentialStore credentialStore, ManageCredentialsUseCase credentials, ProviderHttp http,
                            Clock clock, byte[] key, String publicUrl) {
        if (key.length < 32) {
            throw new IllegalArgumentException("the magic link key must be at least 32 bytes");
        }
        this.providers = providers;
        this.appKeys = appKeys;
        this.links = links;
        this.users = users;
        this.credentialStore = credentialStore;
        this.credentials = credentials;
        this.http = http;
        this.clock = clock;
        this.key = key.clone();
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    /** The exact redirect URI to register with each provider app. */
    public String redirectUri() {
        return publicUrl + CALLBACK_PATH;
    }

    // ---- the owner's API ----

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
        return publicUrl + LINK_PATH + "?t=" + token(link.id());
    }

    // ---- the grower's browser ----

    @Override
    public LinkPage open(String token) {
        MagicLink link = usableLink(token);
        links.recordAccess(link.id(), clock.instant());
        return page(token, link);
    }

    @Override
    public LinkPage view(String token) {
        return page(token, usableLink(token));
    }

    @Override
    public String connect(String token, String providerId, String browserNonce) {
        MagicLink link = usableLink(token);
        ProviderAdapter provider = allowedProvider(link, providerId);
        ProviderDescriptor descriptor = provider.descriptor();
        AppKey appKey = appKey(link.ownerId(), descriptor.id())
                .orElseThrow(() -> new InvalidInputException("provider", descriptor.displayName() + " is not set up yet"));
        String state = Secrets.randomToken(32);
        Instant now = clock.instant();
        links.savePending(new PendingAuthorization(Secrets.hash(state), link.id(), descriptor.id(),
                Secrets.hash(browserNonce), now.plus(CONSENT_TIME)), now);
        String authorizeUrl = new OAuthHelperService(providers, http, clock).authorizeUrl(descriptor, appKey.environment());
        return OAuthHelperService.grant(provider).authorizationUrl(new AuthorizationRequest(authorizeUrl, appKey.environment(),
                appKey.fields().get(OAuthHelperService.clientIdField(descriptor)), redirectUri(), state,
                Pkce.challenge(verifier(state)), appKey.fields()));
    }

    @Override
    public Outcome callback(String state, String browserNonce, String code, String providerError) {
        if (state == null || state.isBlank() || state.length() > 200) {
            return new Outcome(false, null, "The provider sent you back without the information we need. Please start again from your link.", null);
        }
        Optional<PendingAuthorization> taken = links.takePending(Secrets.hash(state));
        if (taken.isEmpty()) {
            return new Outcome(false, null, "This sign-in was already completed or has expired. Please start again from your link.", null);
        }
        PendingAuthorization pending = taken.get();
        Instant now = clock.instant();
        Optional<MagicLink> found = links.findById(pending.linkId()).filter(l -> now.isBefore(l.expiresAt()));
        if (found.isEmpty()) {
            return new Outcome(false, null, "This link has expired. Please ask for a new one.", null);
        }
        MagicLink link = found.get();
        String back = token(link.id());
        Optional<ProviderAdapter> provider = providers.byId(pending.providerId()).filter(a -> a.authorizationCodeGrant().isPresent());
        if (provider.isEmpty()) {
            return new Outcome(false, null, "This provider is no longer available.", back);
        }
        ProviderDescriptor descriptor = provider.get().descriptor();
        String name = descriptor.displayName();
        if (!now.isBefore(pending.expiresAt())) {
            return new Outcome(false, name, "The sign-in took too long. Please try again.", back);
        }
        if (browserNonce == null || !Secrets.sameText(Secrets.hash(browserNonce), pending.browserHash())) {
            return new Outcome(false, name, "This sign-in was started in another browser. Please start again from your link on this device.", back);
        }
        if (providerError != null) {
            String reason = "access_denied".equals(providerError) ? "You declined access at " + name + "." : name + " did not grant access.";
            return new Outcome(false, name, reason + " Nothing was connected.", back);
        }
        if (code == null || code.isBlank() || code.length() > 4096) {
            return new Outcome(false, name, name + " sent you back without an authorization code. Please try again.", back);
        }
        Optional<AppKey> appKey = appKey(link.ownerId(), descriptor.id());
        if (appKey.isEmpty()) {
            return new Outcome(false, name, name + " is not set up any more. Please contact the company that sent you the link.", back);
        }
        TokenUpdate tokens;
        try {
            tokens = OAuthHelperService.grant(provider.get()).exchangeCode(new ClientContext(providers, descriptor, appKey.get().environment(),
                    appKey.get().fields(), http, now), code, redirectUri(), verifier(state));
        } catch (CodeExchangeException e) {
            LOG.log(Level.INFO, "magic link {0}: {1} refused the authorization code: {2}", link.id(), descriptor.id(), e.getMessage());
            return new Outcome(false, name, name + " did not accept the sign-in. Please try again.", back);
        } catch (ProviderUnreachableException e) {
            return new Outcome(false, name, name + " could not be reached. Please try again in a few minutes.", back);
        } catch (RuntimeException e) {
            // A malformed answer or a field the app key lacks: say nothing specific to the browser, log where.
            LOG.log(Level.WARNING, "magic link {0}: code exchange with {1} failed: {2}", link.id(), descriptor.id(), e.getClass().getName());
            return new Outcome(false, name, "Something went wrong while connecting " + name + ". Please try again.", back);
        }
        attach(link, descriptor, appKey.get(), tokens);
        return new Outcome(true, name, "Your " + name + " account is connected.", back);
    }

    @Override
    public void disconnect(String token, String providerId) {
        MagicLink link = usableLink(token);
        if (!link.settings().disconnectEnabled()) {
            throw new InvalidInputException("provider", "disconnecting is not enabled for this link");
        }
        ProviderDescriptor descriptor = allowedProvider(link, providerId).descriptor();
        try {
            credentials.detach(link.ownerId(), link.leafUserId(), descriptor.endpointSuffix());
        } catch (NotFoundException alreadyGone) {
            // a double click: the result the grower wanted
        }
    }

    // ---- helpers ----

    /** Through the normal attach path, so the scheduler validates it; a reconnect replaces the old credential. */
    private void attach(MagicLink link, ProviderDescriptor descriptor, AppKey appKey, TokenUpdate tokens) {
        Map<String, Object> body = new LinkedHashMap<>();
        appKey.fields().forEach((name, value) -> {
            if (descriptor.field(name).isPresent()) {
                body.put(name, value);
            }
        });
        tokens.fields().forEach((name, value) -> {
            if (descriptor.field(name).isPresent()) {
                body.put(name, value);
            }
        });
        body.put(ProviderDescriptor.ENVIRONMENT_FIELD, appKey.environment().name());
        try {
            credentials.attach(link.ownerId(), link.leafUserId(), descriptor.endpointSuffix(), body);
        } catch (ConflictException existing) {
            credentials.detach(link.ownerId(), link.leafUserId(), descriptor.endpointSuffix());
            credentials.attach(link.ownerId(), link.leafUserId(), descriptor.endpointSuffix(), body);
        }
    }

    private LinkPage page(String token, MagicLink link) {
        List<Choice> choices = new ArrayList<>();
        for (String id : link.allowedProviders()) {
            providers.byId(id).ifPresent(adapter -> {
                ProviderDescriptor d = adapter.descriptor();
                String status = credentialStore.find(link.ownerId(), link.leafUserId(), d.id())
                        .map(Credential::status).map(Enum::name).orElse(null);
                choices.add(new Choice(d.id(), d.displayName(), status, appKey(link.ownerId(), d.id()).isPresent()));
            });
        }
        MagicLink.Settings s = link.settings();
        String userName = s.showLeafUserName()
                ? users.find(link.ownerId(), link.leafUserId()).map(LeafUser::name).orElse(null) : null;
        return new LinkPage(token, s.companyName(), s.companyLogo(), s.headerImage(), s.backgroundColor(), userName,
                s.disconnectEnabled(), choices);
    }

    private MagicLink usableLink(String token) {
        UUID id = idOf(token).orElseThrow(() -> new LinkUnavailableException("unknown link"));
        MagicLink link = links.findById(id).orElseThrow(() -> new LinkUnavailableException("deleted link"));
        if (!link.usableAt(clock.instant())) {
            throw new LinkUnavailableException("expired link");
        }
        return link;
    }

    /** The id inside a well-formed token whose MAC checks out; constant-time comparison. */
    private Optional<UUID> idOf(String token) {
        if (token == null) {
            return Optional.empty();
        }
        var matcher = TOKEN.matcher(token);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        UUID id = UUID.fromString(matcher.group(1));
        return Secrets.sameText(token(id), token) ? Optional.of(id) : Optional.empty();
    }

    private String token(UUID id) {
        return id + "." + Secrets.hmac(key, "magic-link:" + id);
    }

    private String verifier(String state) {
        return Secrets.hmac(key, "pkce:" + state);
    }

    private ProviderAdapter allowedProvider(MagicLink link, String providerId) {
        if (providerId == null || !link.allowedProviders().contains(providerId)) {
            throw new InvalidInputException("provider", "this link does not offer that provider");
        }
        return providers.byId(providerId).filter(a -> a.authorizationCodeGrant().isPresent())
                .orElseThrow(() -> new InvalidInputException("provider", "this provider is not available"));
    }

    /** The owner's most recently changed app key for the provider. */
    private Optional<AppKey> appKey(UUID ownerId, String providerId) {
        return appKeys.list(ownerId).stream().filter(k -> k.providerId().equals(providerId))
                .max(Comparator.comparing(AppKey::updatedAt));
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
