package io.granary.provider.others;

import static io.granary.spi.EndpointKind.API_URL;
import static io.granary.spi.EndpointKind.AUTHORIZE_URL;
import static io.granary.spi.EndpointKind.REVOKE_URL;
import static io.granary.spi.EndpointKind.TOKEN_URL;
import static io.granary.spi.Environment.PRODUCTION;
import static io.granary.spi.Environment.STAGE;

import io.granary.spi.AuthorizationRequest;
import java.util.List;
import java.util.Map;
import io.granary.spi.AuthType;
import io.granary.spi.CredentialField;
import io.granary.spi.OAuth2Provider;
import io.granary.spi.ProviderAnswers;
import io.granary.spi.ProviderDescriptor;
import io.granary.spi.ProviderRequest;
import io.granary.spi.ProviderResponse;
import io.granary.spi.RefreshContext;
import io.granary.spi.RefreshResult;
import java.net.URI;

/**
 * CNH Industrial: an Auth0-style identity server; client id and secret in the form body (Auth0 accepts both
 * styles, CNHi documents neither). API calls carry the app's APIM subscription key. Access is proved with
 * {@code userinfo} on the identity host.
 */
public final class CnhiProvider extends OAuth2Provider {

    static final String SUBSCRIPTION_KEY = "subscriptionKey";

    private static final ProviderDescriptor DESCRIPTOR = ProviderDescriptor.builder("CNHI")
            .displayName("CNHi")
            .endpointSuffix("cnhi-credentials")
            .authType(AuthType.OAUTH2)
            .environments(PRODUCTION, STAGE)
            .fields(oauthFields("clientId", "clientSecret", CredentialField.required(SUBSCRIPTION_KEY).asSecret()))
            .endpoint(TOKEN_URL, PRODUCTION, "https://identity.cnhind.com/oauth/token")
            .endpoint(AUTHORIZE_URL, PRODUCTION, "https://identity.cnhind.com/authorize")
            .endpoint(API_URL, PRODUCTION, "https://ag.api.cnhind.com")
            .endpoint(TOKEN_URL, STAGE, "https://stg.identity.cnhind.com/oauth/token")
            .endpoint(AUTHORIZE_URL, STAGE, "https://stg.identity.cnhind.com/authorize")
            .endpoint(API_URL, STAGE, "https://stg.api.cnhind.com")
            // Auth0's POST /oauth/revoke: client_id, client_secret, token; 200 also for a token already revoked
            // (https://auth0.com/docs/api/authentication#revoke-refresh-token, mirrored at
            // https://docs-staging.mintlify.app/docs/api/authentication/token-management/revoke-refresh-token).
            // That CNH's tenant enables it for partner apps: unverified.
            .endpoint(REVOKE_URL, PRODUCTION, "https://identity.cnhind.com/oauth/revoke")
            .endpoint(REVOKE_URL, STAGE, "https://stg.identity.cnhind.com/oauth/revoke")
            .build();

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected ClientAuth clientAuth() {
        return ClientAuth.BODY;
    }

    @Override
    protected RefreshResult checkAccess(RefreshContext context, String accessToken) {
        ProviderResponse answer = context.http().send(ProviderRequest.get(userInfoUrl(context.endpoint(TOKEN_URL)))
                .bearer(accessToken)
                .header("Ocp-Apim-Subscription-Key", context.requiredField(SUBSCRIPTION_KEY))
                .build());
        return ProviderAnswers.accessCheck(answer, context.now());
    }

    /** Auth0 serves {@code /userinfo} at the root of the host that issues tokens, so an override moves both. */
    static String userInfoUrl(String tokenUrl) {
        return URI.create(tokenUrl).resolve("/userinfo").toString();
    }

    @Override
    protected List<String> authorizationScopes(AuthorizationRequest request) {
        return List.of("offline_access");
    }

    /** Auth0 issues API tokens only for a named audience, which differs between STAGE and PRODUCTION. */
    @Override
    protected Map<String, String> authorizationParameters(AuthorizationRequest request) {
        return Map.of("audience", request.environment() == STAGE ? "https://stg.api.cnhind.com" : "https://ag.api.cnhind.com");
    }

    /** Auth0 accepts PKCE S256. */
    @Override
    public boolean acceptsPkce() {
        return true;
    }
}
