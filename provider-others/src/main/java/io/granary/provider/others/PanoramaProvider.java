package io.granary.provider.others;

import static io.granary.spi.EndpointKind.AUTHORIZE_URL;
import static io.granary.spi.EndpointKind.TOKEN_URL;
import static io.granary.spi.Environment.PRODUCTION;
import static io.granary.spi.Environment.STAGE;

import io.granary.spi.AuthType;
import io.granary.spi.CredentialField;
import io.granary.spi.OAuth2Provider;
import io.granary.spi.ProviderDescriptor;

/**
 * Panorama (Precision Planting): an AWS Cognito user pool with a public app client, so the refresh sends
 * {@code client_id} in the body and no secret. Cognito answers without a refresh token unless rotation is on;
 * the base class then keeps the old one. Username, password and organization code are stored for the host's
 * apps; the refresh does not need them.
 */
public final class PanoramaProvider extends OAuth2Provider {

    private static final ProviderDescriptor DESCRIPTOR = ProviderDescriptor.builder("Panorama")
            .displayName("Panorama (Precision Planting)")
            .endpointSuffix("panorama-credentials")
            .authType(AuthType.OAUTH2)
            .environments(PRODUCTION, STAGE)
            .fields(
                    CredentialField.required("clientId").asClientId(),
                    CredentialField.required("username"),
                    CredentialField.required("password").asPassword(),
                    CredentialField.required("organizationCode"),
                    CredentialField.required(REFRESH_TOKEN).asSecret(),
                    CredentialField.optional(ACCESS_TOKEN).asToken())
            // Cognito's path is /oauth2/token on the pool's domain. unverified: not published (the host name)
            .endpoint(TOKEN_URL, PRODUCTION, "https://auth.panorama.ag/oauth2/token")
            // unverified: not published
            .endpoint(AUTHORIZE_URL, PRODUCTION, "https://auth.panorama.ag/oauth2/authorize")
            // unverified: not published
            .endpoint(TOKEN_URL, STAGE, "https://auth.bananorama.com/oauth2/token")
            // unverified: not published
            .endpoint(AUTHORIZE_URL, STAGE, "https://auth.bananorama.com/oauth2/authorize")
            .build();

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected ClientAuth clientAuth() {
        return ClientAuth.PUBLIC;
    }
}
