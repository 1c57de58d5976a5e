package io.granary.provider.others;

import static io.granary.spi.EndpointKind.AUTHORIZE_URL;
import static io.granary.spi.EndpointKind.TOKEN_URL;
import static io.granary.spi.Environment.PRODUCTION;

import io.granary.spi.AuthType;
import io.granary.spi.OAuth2Provider;
import io.granary.spi.ProviderDescriptor;

/**
 * Raven (not Slingshot): OAuth 2.0 with client id, secret and refresh token. Raven publishes neither endpoint nor
 * client-authentication style. HTTP Basic is chosen because RFC 6749 section 2.3.1 says a server MUST support it
 * for clients with a password, while secrets in the body are only optional there; an unknown but compliant
 * server therefore accepts Basic. The id and secret are form-encoded first, as that section says (unverified for
 * Raven; identical to "as issued" for secrets of letters, digits and {@code -._*}). The descriptor is marked
 * unverified: the host lists it so and warns once when Raven answers in a way this adapter does not recognise.
 */
public final class RavenProvider extends OAuth2Provider {

    private static final ProviderDescriptor DESCRIPTOR = ProviderDescriptor.builder("Raven")
            .displayName("Raven")
            .endpointSuffix("raven-credentials")
            .authType(AuthType.OAUTH2)
            .environments(PRODUCTION)
            .fields(oauthFields("clientId", "clientSecret"))
            // unverified: not published
            .endpoint(TOKEN_URL, PRODUCTION, "https://auth.ravenind.com/oauth/token")
            // unverified: not published
            .endpoint(AUTHORIZE_URL, PRODUCTION, "https://auth.ravenind.com/oauth/authorize")
            .unverifiedDefaults("Raven publishes no token or authorize URL; the auth.ravenind.com hosts and HTTP Basic with"
                    + " form-encoded id and secret are assumptions")
            .build();

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected ClientAuth clientAuth() {
        return ClientAuth.BASIC;
    }

    /** RFC 6749 section 2.3.1's form-encoding; no Raven source says otherwise (unverified). */
    @Override
    protected BasicCredentials basicCredentials() {
        return BasicCredentials.FORM_URLENCODED;
    }
}
