package io.granary.core.port.in;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of Leaf's OAuth helper calls ({@code get_url}, {@code get_token}), checked on construction. Whether the
 * environment is one the provider supports is the service's to say: it knows the provider.
 *
 * @param clientId          the app's OAuth client id
 * @param clientSecret      the app's client secret, or null (a public client has none; {@code get_url} ignores it)
 * @param redirectUrl       an absolute http(s) URL without a fragment (RFC 6749 section 3.1.2)
 * @param clientEnvironment an environment name as sent, or null for the provider's default
 * @param code              the authorization code to exchange, or null for {@code get_url}
 * @param extras            provider extras a token request may need, under their credential names (Climate's apiKey)
 */
public record OAuthClientCommand(String clientId, String clientSecret, String redirectUrl, String clientEnvironment,
                                 String code, Map<String, String> extras) {

    static final List<String> EXTRAS = List.of("apiKey", "subscriptionKey", "applicationName");

    public OAuthClientCommand {
        if (clientId == null || clientId.isBlank()) {
            throw new InvalidInputException("client_id", "'client_id' is required");
        }
        checkRedirect(redirectUrl);
        extras = Collections.unmodifiableMap(new LinkedHashMap<>(extras));
    }

    /** The body of {@code get_url}: {@code client_id}, {@code client_redirect_url}, optional {@code clientEnvironment}. */
    public static OAuthClientCommand authorizationUrl(Map<String, Object> body) {
        return fromJson(body, false);
    }

    /** The body of {@code get_token}: that of {@code get_url} plus {@code code} and optional {@code client_secret}. */
    public static OAuthClientCommand exchangeCode(Map<String, Object> body) {
        return fromJson(body, true);
    }

    /** From a parsed JSON body; {@code code} is required when exchanging one. */
    public static OAuthClientCommand fromJson(Map<String, Object> body, boolean withCode) {
        String environment = JsonMembers.text(body, "clientEnvironment", false);
        Map<String, String> extras = new LinkedHashMap<>();
        for (String name : EXTRAS) {
            String value = JsonMembers.text(body, name, false);
            if (value != null) {
                extras.put(name, value);
            }
        }
        String clientId = JsonMembers.text(body, "client_id", true);
        String secret = JsonMembers.text(body, "client_secret", false);
        String code = withCode ? JsonMembers.text(body, "code", true) : null;
        String redirect = JsonMembers.text(body, "client_redirect_url", true);
        return new OAuthClientCommand(clientId, withCode ? secret : null, redirect, environment, code, extras);
    }

    private static void checkRedirect(String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException("client_redirect_url", "'client_redirect_url' is required");
        }
        try {
            URI uri = new URI(value);
            if ((!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getFragment() != null) {
                throw new InvalidInputException("client_redirect_url", "'client_redirect_url' must be an absolute http(s) URL without a fragment");
            }
        } catch (URISyntaxException e) {
            throw new InvalidInputException("client_redirect_url", "'client_redirect_url' is not a valid URL");
        }
    }
}
