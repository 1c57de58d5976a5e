package io.granary.provider.sandbox;

import static io.granary.spi.EndpointKind.API_URL;
import static io.granary.spi.EndpointKind.AUTHORIZE_URL;
import static io.granary.spi.EndpointKind.REVOKE_URL;
import static io.granary.spi.EndpointKind.TOKEN_URL;
import static io.granary.spi.Environment.PRODUCTION;

import io.granary.spi.AuthType;
import io.granary.spi.AuthorizationRequest;
import io.granary.spi.OAuth2Provider;
import io.granary.spi.ProviderAnswers;
import io.granary.spi.ProviderDescriptor;
import io.granary.spi.ProviderRequest;
import io.granary.spi.ProviderResponse;
import io.granary.spi.RefreshContext;
import io.granary.spi.RefreshResult;
import java.util.List;

/**
 * The simulated provider Granary serves under {@code /sandbox} when {@code GRANARY_SANDBOX=true}, and loaded only
 * then. Shaped like Trimble: Basic client auth, rotating refresh tokens, PKCE S256, userinfo as the access check.
 * The host points the endpoints at its own public URL unless they are overridden.
 */
public final class SandboxProvider extends OAuth2Provider {

    public static final String ENABLING_SETTING = "GRANARY_SANDBOX";

    private static final ProviderDescriptor DESCRIPTOR = ProviderDescriptor.builder("Sandbox")
            .displayName("Sandbox Farm Data")
            .endpointSuffix("sandbox-credentials")
            .authType(AuthType.OAUTH2)
            .environments(PRODUCTION)
            .fields(oauthFields("clientId", "clientSecret"))
            .endpoint(AUTHORIZE_URL, PRODUCTION, "http://localhost:8080/sandbox/authorize")
            .endpoint(TOKEN_URL, PRODUCTION, "http://localhost:8080/sandbox/token")
            .endpoint(API_URL, PRODUCTION, "http://localhost:8080/sandbox")
            // Served by Granary's own SandboxServer (RFC 7009, Basic client auth).
            .endpoint(REVOKE_URL, PRODUCTION, "http://localhost:8080/sandbox/revoke")
            .build();

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public String enablingSetting() {
        return ENABLING_SETTING;
    }

    @Override
    protected ClientAuth clientAuth() {
        return ClientAuth.BASIC;
    }

    @Override
    protected List<String> authorizationScopes(AuthorizationRequest request) {
        return List.of("fields:read", "operations:read");
    }

    @Override
    public boolean acceptsPkce() {
        return true;
    }

    @Override
    protected RefreshResult checkAccess(RefreshContext context, String accessToken) {
        ProviderResponse answer = context.http().send(
                ProviderRequest.get(context.endpoint(API_URL) + "/userinfo").bearer(accessToken).build());
        return ProviderAnswers.accessCheck(answer, context.now());
    }
}
