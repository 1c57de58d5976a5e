package io.granary.core.service;

import io.granary.core.port.in.InvalidInputException;
import io.granary.core.port.in.JsonMembers;
import io.granary.core.port.in.NotFoundException;
import io.granary.core.port.in.OAuthHelperUseCase;
import io.granary.spi.AuthorizationCodeGrant;
import io.granary.spi.AuthorizationRequest;
import io.granary.spi.EndpointKind;
import io.granary.spi.Environment;
import io.granary.spi.OAuth2Provider;
import io.granary.spi.ProviderAdapter;
import io.granary.spi.ProviderDescriptor;
import io.granary.spi.ProviderHttp;
import io.granary.spi.TokenUpdate;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OAuth helper. No PKCE here: Leaf's {@code get_token} body carries no verifier, so the server would have
 * to remember one per URL; the magic link flow, which keeps state, does PKCE instead.
 */
public final class OAuthHelperService implements OAuthHelperUseCase {

    static final int MAX_TEXT = JsonMembers.MAX_TEXT;

    private final ProviderRegistry providers;
    private final ProviderHttp http;
    private final Clock clock;

    public OAuthHelperService(ProviderRegistry providers, ProviderHttp http, Clock clock) {
        this.providers = providers;
        this.http = http;
        this.clock = clock;
    }

    @Override
    public List<String> providers() {
        return providers.descriptors().stream()
                .filter(d -> providers.byId(d.id()).flatMap(ProviderAdapter::authorizationCodeGrant).isPresent())
                .map(ProviderDescriptor::slug)
                .toList();
    }

    @Override
    public String authorizationUrl(String slug, Map<String, Object> body) {
        ProviderAdapter provider = oauthProvider(slug);
        ProviderDescriptor descriptor = provider.descriptor();
        Environment environment = environment(descriptor, body);
        String authorizeUrl = authorizeUrl(descriptor, environment);
        String redirect = redirectUri(text(body, "client_redirect_url", true));
        return grant(provider).authorizationUrl(new AuthorizationRequest(authorizeUrl, environment,
                text(body, "client_id", true), redirect, Secrets.randomToken(24), null, extras(body)));
    }

    @Override
    public Map<String, String> exchangeCode(String slug, Map<String, Object> body) {
        ProviderAdapter provider = oauthProvider(slug);
        ProviderDescriptor descriptor = provider.descriptor();
        Environment environment = environment(descriptor, body);
        Map<String, String> fields = new LinkedHashMap<>(extras(body));
        fields.put(clientIdField(descriptor), text(body, "client_id", true));
        String secret = text(body, "client_secret", false);
        if (secret != null) {
            descriptor.clientSecretField().ifPresent(name -> fields.put(name, secret)); // a public client has none
        }
        String code = text(body, "code", true);
        String redirect = redirectUri(text(body, "client_redirect_url", true));
        TokenUpdate tokens = grant(provider).exchangeCode(
                new ClientContext(providers, descriptor, environment, fields, http, clock.instant()), code, redirect, null);
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("accessToken", tokens.fields().get(OAuth2Provider.ACCESS_TOKEN));
        answer.put("refreshToken", tokens.fields().get(OAuth2Provider.REFRESH_TOKEN));
        return answer;
    }

    ProviderAdapter oauthProvider(String slug) {
        return providers.bySlugOrId(slug)
                .filter(a -> a.authorizationCodeGrant().isPresent())
                .orElseThrow(() -> new NotFoundException("no OAuth provider answers to '" + printable(slug) + "'"));
    }

    /** The grant of a provider known to offer one (the registry checked its client-id field at start-up). */
    static AuthorizationCodeGrant grant(ProviderAdapter provider) {
        return provider.authorizationCodeGrant().orElseThrow();
    }

    String authorizeUrl(ProviderDescriptor descriptor, Environment environment) {
        return providers.endpoint(descriptor, EndpointKind.AUTHORIZE_URL, environment)
                .orElseThrow(() -> new InvalidInputException("clientEnvironment",
                        descriptor.displayName() + " has no authorization URL for " + environment));
    }

    /** The field the provider marked as its OAuth client id; the registry refuses a grant without one. */
    static String clientIdField(ProviderDescriptor descriptor) {
        return descriptor.clientIdField().orElseThrow();
    }

    /** Provider extras a token request may need, passed under their credential names (Climate's apiKey). */
    private static Map<String, String> extras(Map<String, Object> body) {
        Map<String, String> extras = new LinkedHashMap<>();
        for (String name : List.of("apiKey", "subscriptionKey", "applicationName")) {
            String value = text(body, name, false);
            if (value != null) {
                extras.put(name, value);
            }
        }
        return extras;
    }

    static Environment environment(ProviderDescriptor descriptor, Map<String, Object> body) {
        String name = text(body, ProviderDescriptor.ENVIRONMENT_FIELD, false);
        if (name == null) {
            return descriptor.defaultEnvironment();
        }
        try {
            Environment environment = Environment.valueOf(name);
            if (descriptor.environments().contains(environment)) {
                return environment;
            }
        } catch (IllegalArgumentException e) {
            // fall through to the common message
        }
        throw new InvalidInputException(ProviderDescriptor.ENVIRONMENT_FIELD, descriptor.displayName()
                + " supports " + descriptor.environments());
    }

    /** An absolute http(s) URI without a fragment (RFC 6749 section 3.1.2). */
    static String redirectUri(String value) {
        try {
            URI uri = new URI(value);
            if ((!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getFragment() != null) {
                throw new InvalidInputException("client_redirect_url", "'client_redirect_url' must be an absolute http(s) URL without a fragment");
            }
            return value;
        } catch (URISyntaxException e) {
            throw new InvalidInputException("client_redirect_url", "'client_redirect_url' is not a valid URL");
        }
    }

    static String text(Map<String, Object> body, String name, boolean required) {
        return JsonMembers.text(body, name, required);
    }

    static String printable(String name) {
        return JsonMembers.printable(name);
    }
}
