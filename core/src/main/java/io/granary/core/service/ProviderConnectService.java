package io.granary.core.service;

import io.granary.core.domain.AppKey;
import io.granary.core.domain.Credential;
import io.granary.core.domain.LeafUser;
import io.granary.core.domain.MagicLink;
import io.granary.core.domain.PendingAuthorization;
import io.granary.core.port.in.AttachCredentialCommand;
import io.granary.core.port.in.ConflictException;
import io.granary.core.port.in.ConnectProvidersUseCase;
import io.granary.core.port.in.InvalidInputException;
import io.granary.core.port.in.ManageCredentialsUseCase;
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

/**
 * The grower's side of a magic link: the link page, a consent's single-use state (stored only as a hash) with
 * its PKCE verifier derived from the state, the provider's callback and disconnecting.
 */
public final class ProviderConnectService implements ConnectProvidersUseCase {

    static final Duration CONSENT_TIME = Duration.ofMinutes(15);

    private static final Logger LOG = System.getLogger(ProviderConnectService.class.getName());

    private final ProviderRegistry providers;
    private final AppKeyStore appKeys;
    private final MagicLinkStore links;
    private final LeafUserStore users;
    private final CredentialStore credentialStore;
    private final ManageCredentialsUseCase credentials;
    private final ProviderHttp http;
    private final Clock clock;
    private final MagicLinkKeys keys;

    public ProviderConnectService(ProviderRegistry providers, AppKeyStore appKeys, MagicLinkStore links, LeafUserStore users,
                                  CredentialStore credentialStore, ManageCredentialsUseCase credentials, ProviderHttp http,
                                  Clock clock, MagicLinkKeys keys) {
        this.providers = providers;
        this.appKeys = appKeys;
        this.links = links;
        this.users = users;
        this.credentialStore = credentialStore;
        this.credentials = credentials;
        this.http = http;
        this.clock = clock;
        this.keys = keys;
    }

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
                appKey.fields().get(OAuthHelperService.clientIdField(descriptor)), keys.redirectUri(), state,
                Pkce.challenge(keys.verifier(state)), appKey.fields()));
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
        String back = keys.token(link.id());
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
                    appKey.get().fields(), http, now), code, keys.redirectUri(), keys.verifier(state));
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
        Map<String, String> fields = new LinkedHashMap<>();
        appKey.fields().forEach((name, value) -> {
            if (descriptor.field(name).isPresent()) {
                fields.put(name, value);
            }
        });
        tokens.fields().forEach((name, value) -> {
            if (descriptor.field(name).isPresent()) {
                fields.put(name, value);
            }
        });
        AttachCredentialCommand body = new AttachCredentialCommand(appKey.environment().name(), fields);
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
        UUID id = keys.idOf(token).orElseThrow(() -> new LinkUnavailableException("unknown link"));
        MagicLink link = links.findById(id).orElseThrow(() -> new LinkUnavailableException("deleted link"));
        if (!link.usableAt(clock.instant())) {
            throw new LinkUnavailableException("expired link");
        }
        return link;
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
}
