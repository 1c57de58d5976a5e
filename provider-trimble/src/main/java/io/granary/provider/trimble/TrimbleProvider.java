package io.granary.provider.trimble;

import io.granary.spi.AuthorizationRequest;
import java.util.List;
import io.granary.spi.AuthType;
import io.granary.spi.EndpointKind;
import io.granary.spi.Environment;
import io.granary.spi.OAuth2Provider;
import io.granary.spi.ProviderAnswers;
import io.granary.spi.ProviderDescriptor;
import io.granary.spi.ProviderRequest;
import io.granary.spi.ProviderResponse;
import io.granary.spi.RefreshContext;
import io.granary.spi.RefreshResult;
import java.time.Duration;

/**
 * Trimble Identity: Basic client auth; access tokens live 1 h; refresh tokens are single-use (they rotate)
 * and expire after 7 days, so the host must refresh at least weekly. Organization access is a separate grant
 * on trimbleag.com that userinfo cannot see.
 */
public final class TrimbleProvider extends OAuth2Provider {

    private static final ProviderDescriptor DESCRIPTOR = ProviderDescriptor.builder("Trimble")
            .displayName("Trimble Agriculture")
            .endpointSuffix("trimble-credentials")
            .authType(AuthType.OAUTH2)
            .environments(Environment.PRODUCTION)
            .fields(oauthFields("clientId", "clientSecret"))
            .endpoint(EndpointKind.TOKEN_URL, Environment.PRODUCTION, "https://id.trimble.com/oauth/token")
            .endpoint(EndpointKind.AUTHORIZE_URL, Environment.PRODUCTION, "https://id.trimble.com/oauth/authorize")
            .endpoint(EndpointKind.API_URL, Environment.PRODUCTION, "https://id.trimble.com")
            // RFC 7009 with Basic client auth, token + token_type_hint: https://developer.trimble.com/docs/authentication/api ("Revoke")
            .endpoint(EndpointKind.REVOKE_URL, Environment.PRODUCTION, "https://id.trimble.com/oauth/revoke")
            .build();

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected ClientAuth clientAuth() {
        return ClientAuth.BASIC;
    }

    @Override
    protected Duration assumedAccessTokenLifetime() {
        return Duration.ofHours(1);
    }

    /** {@code GET /oauth/userinfo}: proves the token, not organization access (that grant lives elsewhere). */
    @Override
    protected RefreshResult checkAccess(RefreshContext context, String accessToken) {
        ProviderResponse answer = context.http().send(
                ProviderRequest.get(context.endpoint(EndpointKind.API_URL) + "/oauth/userinfo").bearer(accessToken).build());
        return ProviderAnswers.accessCheck(answer, context.now());
    }

    /** Trimble Identity scopes a consent by {@code openid} plus the registered application's name (Leaf's app key field). */
    @Override
    protected List<String> authorizationScopes(AuthorizationRequest request) {
        return request.appField("applicationName").map(name -> List.of("openid", name)).orElse(List.of("openid"));
    }

    /** Trimble Identity documents PKCE S256 for the authorization-code grant. */
    @Override
    public boolean acceptsPkce() {
        return true;
    }
}
