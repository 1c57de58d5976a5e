package io.granary.provider.johndeere;

import io.granary.spi.AuthorizationRequest;
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
import java.util.List;
import java.util.Map;

/**
 * John Deere Operations Center: an Okta authorization server shared by STAGE and PRODUCTION, Basic client auth,
 * refresh tokens treated as rotating (the official samples overwrite them on every refresh). Only the API host
 * differs between environments. A token that works can still lack organization access: the organizations list
 * then carries a {@code connections} link the grower must follow.
 */
public final class JohnDeereProvider extends OAuth2Provider {

    static final String AXIOM_V3 = "application/vnd.deere.axiom.v3+json";
    private static final String OKTA = "https://signin.johndeere.com/oauth2/aus78tnlaysMraFhC1t7/v1";

    private static final ProviderDescriptor DESCRIPTOR = ProviderDescriptor.builder("JohnDeere")
            .displayName("John Deere Operations Center")
            .endpointSuffix("john-deere-credentials")
            .authType(AuthType.OAUTH2)
            .environments(Environment.STAGE, Environment.PRODUCTION)
            .defaultEnvironment(Environment.PRODUCTION)
            .fields(oauthFields("clientKey", "clientSecret"))
            .endpoint(EndpointKind.TOKEN_URL, Environment.STAGE, OKTA + "/token")
            .endpoint(EndpointKind.AUTHORIZE_URL, Environment.STAGE, OKTA + "/authorize")
            .endpoint(EndpointKind.API_URL, Environment.STAGE, "https://sandboxapi.deere.com/platform")
            .endpoint(EndpointKind.TOKEN_URL, Environment.PRODUCTION, OKTA + "/token")
            .endpoint(EndpointKind.AUTHORIZE_URL, Environment.PRODUCTION, OKTA + "/authorize")
            .endpoint(EndpointKind.API_URL, Environment.PRODUCTION, "https://partnerapi.deere.com/platform")
            // Okta custom authorization servers revoke at {server}/v1/revoke (RFC 7009, 200 also for an unknown token):
            // https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/customas/revokecustomas. That Deere's server
            // allows it for partner apps is inferred from its Okta token URL: unverified against a Deere page.
            .endpoint(EndpointKind.REVOKE_URL, Environment.STAGE, OKTA + "/revoke")
            .endpoint(EndpointKind.REVOKE_URL, Environment.PRODUCTION, OKTA + "/revoke")
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
    protected String clientIdField() {
        return "clientKey";
    }

    /** {@code GET /organizations}: 401 invalid, 403 missing scope, a {@code connections} link means not yet connected. */
    @Override
    protected RefreshResult checkAccess(RefreshContext context, String accessToken) {
        ProviderResponse answer = context.http().send(
                ProviderRequest.get(context.endpoint(EndpointKind.API_URL) + "/organizations")
                        
                        .header("Accept", AXIOM_V3)
                        .bearer(accessToken)
                        .build());
        if (!answer.isSuccess()) {
            return ProviderAnswers.apiFailure(answer, context.now());
        }
        if (anyOrganizationNeedsConnection(answer.jsonObject())) {
            return new RefreshResult.MissingPermission("grower must grant organization access at John Deere");
        }
        return RefreshResult.valid();
    }

    private static boolean anyOrganizationNeedsConnection(Map<String, Object> page) {
        if (!(page.get("values") instanceof List<?> organizations)) {
            return false;
        }
        for (Object organization : organizations) {
            if (organization instanceof Map<?, ?> org && org.get("links") instanceof List<?> links) {
                for (Object link : links) {
                    if (link instanceof Map<?, ?> l && "connections".equals(l.get("rel"))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Data, equipment and organization scopes; {@code offline_access} is what yields a refresh token. */
    @Override
    protected List<String> authorizationScopes(AuthorizationRequest request) {
        return List.of("ag1", "ag2", "ag3", "eq1", "org1", "offline_access");
    }

    /** Okta authorization servers accept PKCE S256. */
    @Override
    public boolean acceptsPkce() {
        return true;
    }
}
