package io.granary.provider.others;

import static io.granary.spi.EndpointKind.AUTHORIZE_URL;
import static io.granary.spi.EndpointKind.TOKEN_URL;
import static io.granary.spi.Environment.PRODUCTION;
import static io.granary.spi.Environment.STAGE;

import io.granary.spi.AuthType;
import io.granary.spi.OAuth2Provider;
import io.granary.spi.ProviderDescriptor;

/**
 * CLAAS: OAuth 2.0 with a refresh token; STAGE is the default environment. CLAAS publishes neither its token
 * endpoint nor its client-authentication style, so both URLs are guesses the host can override, and
 * client authentication is HTTP Basic, which RFC 6749 section 2.3.1 obliges every server to accept.
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
            .build();

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected ClientAuth clientAuth() {
        return ClientAuth.BASIC;
    }
}
