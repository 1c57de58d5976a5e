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
import io.granary.spi.MalformedAnswerException;
import io.granary.spi.ProviderOrganization;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * John Deere Operations Center: an Okta authorization server shared by STAGE and PRODUCTION, Basic client auth,
 * refresh tokens treated as rotating (the official samples overwrite them on every refresh). Only the API host
 * differs between environments. A token that works can still lack organization access: the organizations list
 * then carries a {@code connections} link the grower must follow.
 *
 * <p>Sources: Okta issuer {@code aus78tnlaysMraFhC1t7}, token/authorize paths, Basic client auth and scopes with
 * {@code offline_access}: John Deere's official OAuth samples and developer docs as recorded in the project's
 * provider reference (discovery at {@code .../aus78tnlaysMraFhC1t7/.well-known/oauth-authorization-server}); the same
 * URLs appear in many public clients (e.g. those the code index finds by {@code JD_TOKEN_URL}). Axiom media type
 * {@code application/vnd.deere.axiom.v3+json} and paging: see {@link OrganizationPages}.
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

    /**
     * {@code GET /organizations}, following {@code nextPage} links across every page; every organization seen is
     * reported to the host. 401 invalid, 403 missing scope. The status, thought through as a grower's app sees it:
     * <ul>
     *   <li>at least one organization shared with the app: VALID, because data flows; the message names the
     *       organizations not yet shared, so the app can prompt the grower without treating the credential as broken;</li>
     *   <li>organizations listed but none shared: MISSING_PERMISSION, the grower must finish the organization step;</li>
     *   <li>no organizations at all: VALID, the account simply has none yet (nothing to share, nothing broken).</li>
     * </ul>
     */
    @Override
    protected RefreshResult checkAccess(RefreshContext context, String accessToken) {
        String apiUrl = context.endpoint(EndpointKind.API_URL);
        List<ProviderOrganization> seen = new ArrayList<>();
        Set<String> visited = new HashSet<>();
        String url = apiUrl + "/organizations";
        for (int page = 0; url != null; page++) {
            if (page == OrganizationPages.MAX_PAGES || !visited.add(url)) {
                throw new MalformedAnswerException("John Deere organizations paging does not end");
            }
            ProviderResponse answer = context.http().send(ProviderRequest.get(url).header("Accept", AXIOM_V3).bearer(accessToken).build());
            if (!answer.isSuccess()) {
                return ProviderAnswers.apiFailure(answer, context.now());
            }
            Map<String, Object> json = answer.jsonObject();
            seen.addAll(OrganizationPages.organizations(json));
            url = OrganizationPages.nextPage(json, apiUrl);
        }
        context.organizationsSeen(seen);
        return statusOf(seen);
    }

    static RefreshResult statusOf(List<ProviderOrganization> organizations) {
        List<ProviderOrganization> notShared = organizations.stream().filter(o -> !o.connected()).toList();
        if (organizations.isEmpty()) {
            return new RefreshResult.Valid("credential works; the John Deere account has no organizations yet");
        }
        if (notShared.size() == organizations.size()) {
            return new RefreshResult.MissingPermission("grower must grant organization access at John Deere");
        }
        if (notShared.isEmpty()) {
            return RefreshResult.valid();
        }
        String names = notShared.stream().map(o -> (o.name() == null ? "" : o.name() + " ") + "(" + o.id() + ")")
                .collect(Collectors.joining(", "));
        return new RefreshResult.Valid("credential works for " + (organizations.size() - notShared.size()) + " of "
                + organizations.size() + " organizations; not yet shared with the app: " + names);
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
