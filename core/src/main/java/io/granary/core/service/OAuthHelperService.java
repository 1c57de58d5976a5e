package io.granary.core.service;

import io.granary.core.port.in.InvalidInputException;
import io.granary.core.port.in.JsonMembers;
import io.granary.core.port.in.NotFoundException;
import io.granary.core.port.in.OAuthClientCommand;
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
    public String authorizationUrl(String slug, OAuthClientCommand command) {
        ProviderAdapter provider = oauthProvider(slug);
        ProviderDescriptor descriptor = provider.descriptor();
        Environment environment = environment(descriptor, command.clientEnvironment());
        String authorizeUrl = authorizeUrl(descriptor, environment);
        return grant(provider).authorizationUrl(new AuthorizationRequest(authorizeUrl, environment,
                command.clientId(), command.redirectUrl(), Secrets.randomToken(24), null, command.extras()));
    }

    @Override
    public Map<String, String> exchangeCode(String slug, OAuthClientCommand command) {
        if (command.code() == null) {
            throw new InvalidInputException("code", "'code' is required");
        }
        ProviderAdapter provider = oauthProvider(slug);
        ProviderDescriptor descriptor = provider.descriptor();
        Environment environment = environment(descriptor, command.clientEnvironment());
        Map<String, String> fields = new LinkedHashMap<>(command.extras());
        fields.put(clientIdField(descriptor), command.clientId());
        if (command.clientSecret() != null) {
            descriptor.clientSecretField().ifPresent(name -> fields.put(name, command.clientSecret())); // a public client has none
        }
        TokenUpdate tokens = grant(provider).exchangeCode(new ClientContext(providers, descriptor, environment, fields, http,
                clock.instant()), command.code(), command.redirectUrl(), null);
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

    /** The named environment if the provider supports it; null names the provider's default. */
    static Environment environment(ProviderDescriptor descriptor, String name) {
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

    static String text(Map<String, Object> body, String name, boolean required) {
        return JsonMembers.text(body, name, required);
    }

    static String printable(String name) {
        return JsonMembers.printable(name);
    }
}
