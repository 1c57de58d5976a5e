package io.granary.provider.others;

import static io.granary.spi.EndpointKind.AUTHORIZE_URL;
import static io.granary.spi.EndpointKind.TOKEN_URL;
import static io.granary.spi.Environment.PRODUCTION;
import static io.granary.spi.Environment.STAGE;

import io.granary.spi.AuthType;
import io.granary.spi.OAuth2Provider;
import io.granary.spi.ProviderDescriptor;
import io.granary.spi.UnverifiedDefaultsWarning;

/**
 * CLAAS: OAuth 2.0 with a refresh token; STAGE is the default environment (Leaf's provider table). CLAAS publishes
 * neither its token endpoint nor its client-authentication style, so both URLs are guesses the host can override,
 * and client authentication is HTTP Basic, which RFC 6749 section 2.3.1 obliges every server to accept, with the
 * id and secret form-encoded first as that section says (unverified for CLAAS; identical to "as issued" for
 * secrets of letters, digits and {@code -._*}). The whole descriptor is marked unverified: the host lists it so and
 * warns once when CLAAS answers in a way this adapter does not recognise.
 */
public final class ClaasProvider extends OAuth2Provider {

    private static final ProviderDescriptor DESCRIPTOR = ProviderDescriptor.builder("CLAAS")
            .displayName("CLAAS")
            .endpointSuffix("claas-credentials")
            .authType(AuthType.OAUTH2)
            .environments(STAGE, PRODUCTION)
            .fields(oauthFields("clientKey", "clientSecret"))
            // unverified: not published
            .endpoint(TOKEN_URL, STAGE, "https://auth-stage.claas.com/oauth2/token")
            // unverified: not published
            .endpoint(AUTHORIZE_URL, STAGE, "https://auth-stage.claas.com/oauth2/authorize")
            // unverified: not published
            .endpoint(TOKEN_URL, PRODUCTION, "https://auth.claas.com/oauth2/token")
            // unverified: not published
            .endpoint(AUTHORIZE_URL, PRODUCTION, "https://auth.claas.com/oauth2/authorize")
            .unverifiedDefaults("CLAAS publishes no token or authorize URL; the auth.claas.com hosts and HTTP Basic with"
                    + " form-encoded id and secret are assumptions")
            .build();

    public ClaasProvider() {
        this(new UnverifiedDefaultsWarning());
    }

    ClaasProvider(UnverifiedDefaultsWarning defaultsWarning) {
        super(defaultsWarning);
    }

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected ClientAuth clientAuth() {
        return ClientAuth.BASIC;
    }

    /** RFC 6749 section 2.3.1's form-encoding; no CLAAS source says otherwise (unverified). */
    @Override
    protected BasicCredentials basicCredentials() {
        return BasicCredentials.FORM_URLENCODED;
    }
}
