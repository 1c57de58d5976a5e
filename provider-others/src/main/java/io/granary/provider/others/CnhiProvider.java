package io.granary.provider.others;

import static io.granary.spi.EndpointKind.API_URL;
import static io.granary.spi.EndpointKind.AUTHORIZE_URL;
import static io.granary.spi.EndpointKind.REVOKE_URL;
import static io.granary.spi.EndpointKind.TOKEN_URL;
import static io.granary.spi.Environment.PRODUCTION;
import static io.granary.spi.Environment.STAGE;

import io.granary.spi.AuthType;
import io.granary.spi.AuthorizationRequest;
import io.granary.spi.CredentialField;
import io.granary.spi.OAuth2Provider;
import io.granary.spi.ProviderAnswers;
import io.granary.spi.ProviderDescriptor;
import io.granary.spi.ProviderRequest;
import io.granary.spi.ProviderResponse;
import io.granary.spi.RefreshContext;
import io.granary.spi.RefreshResult;
import java.util.List;
import java.util.Map;

/**
 * CNH Industrial: the identity service is Auth0 (issuer {@code https://identity.cnhind.com/}); client id and secret
 * go in the form body. Tokens are issued for the API audience without {@code openid}, so Auth0's {@code /userinfo}
 * refuses them (401): access is proved on the API host instead, with the app's APIM subscription key.
 *
 * <p>Sources: token, authorize and revocation endpoints and the consent example
 * {@code authorize?...&scope=offline_access&connection=PROD-ADFS-CONN&...&audience=https://ag.api.cnhind.com}:
 * https://develop.cnh.com/api-guides/fieldops-api/tokens ; "you will need to use the environment and API-specific
 * subscription key": https://develop.cnh.com/get-started/developer-portal ; the cheap profile call
 * {@code GET https://ag.api.cnhind.com/v2/myUserProfile}: Leaf-Agriculture/docs (prescriptions page, "You can get
 * this via CNHi API in GET https://ag.api.cnhind.com/v2/myUserProfile"). Unverified: the STAGE hosts and
 * {@code STG-ADFS-CONN} (named by the project's provider reference, not found in a stored CNH page), and client
 * authentication in the body (Auth0 accepts both styles; CNH's guide does not say).
 */
public final class CnhiProvider extends OAuth2Provider {

    static final String SUBSCRIPTION_KEY = "subscriptionKey";
    /** Leaf-Agriculture/docs: "GET https://ag.api.cnhind.com/v2/myUserProfile" answers the user's companies. */
    static final String PROFILE_PATH = "/v2/myUserProfile";

    private static final ProviderDescriptor DESCRIPTOR = ProviderDescriptor.builder("CNHI")
            .displayName("CNHi")
            .endpointSuffix("cnhi-credentials")
            .authType(AuthType.OAUTH2)
            .environments(PRODUCTION, STAGE)
            .fields(oauthFields("clientId", "clientSecret", CredentialField.required(SUBSCRIPTION_KEY).asSecret()))
            // develop.cnh.com fieldops-api/tokens, well-known endpoints (Production).
            .endpoint(TOKEN_URL, PRODUCTION, "https://identity.cnhind.com/oauth/token")
            .endpoint(AUTHORIZE_URL, PRODUCTION, "https://identity.cnhind.com/authorize")
            // The consent example's audience; Leaf-Agriculture/docs calls this host with the profile route.
            .endpoint(API_URL, PRODUCTION, "https://ag.api.cnhind.com")
            // unverified: STAGE hosts from the project's provider reference.
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

    /**
     * {@code GET {api}/v2/myUserProfile} with Bearer and {@code Ocp-Apim-Subscription-Key}: 2xx works; 401 the token
     * or the subscription key is refused; 403 no access; 429/5xx later. A 404 means the API URL setting points at the
     * wrong host, not that the grower's grant died (the token endpoint just honoured it), so it is TEMPORARILY_UNAVAILABLE
     * with a message naming the setting.
     */
    @Override
    protected RefreshResult checkAccess(RefreshContext context, String accessToken) {
        ProviderResponse answer = context.http().send(ProviderRequest.get(context.endpoint(API_URL) + PROFILE_PATH)
                .bearer(accessToken)
                .header("Ocp-Apim-Subscription-Key", context.requiredField(SUBSCRIPTION_KEY))
                .build());
        if (answer.status() == 404) {
            return new RefreshResult.Unavailable("CNHi API host answered 404 for " + PROFILE_PATH + "; check "
                    + DESCRIPTOR.endpointSetting(API_URL, context.environment()));
        }
        return ProviderAnswers.accessCheck(answer, context.now());
    }

    @Override
    protected List<String> authorizationScopes(AuthorizationRequest request) {
        return List.of("offline_access");
    }

    /**
     * Auth0 issues API tokens only for a named audience, and CNH routes growers through an ADFS connection: the
     * documented consent example carries {@code connection=PROD-ADFS-CONN} and
     * {@code audience=https://ag.api.cnhind.com}. STAGE: {@code STG-ADFS-CONN} and {@code https://stg.api.cnhind.com}
     * (unverified).
     */
    @Override
    protected Map<String, String> authorizationParameters(AuthorizationRequest request) {
        boolean stage = request.environment() == STAGE;
        return Map.of(
                "audience", stage ? "https://stg.api.cnhind.com" : "https://ag.api.cnhind.com",
                "connection", stage ? "STG-ADFS-CONN" : "PROD-ADFS-CONN");
    }

    /** Auth0 accepts PKCE S256. */
    @Override
    public boolean acceptsPkce() {
        return true;
    }
}
