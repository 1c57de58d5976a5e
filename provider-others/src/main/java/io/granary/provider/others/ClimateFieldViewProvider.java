package io.granary.provider.others;

import static io.granary.spi.EndpointKind.API_URL;
import static io.granary.spi.EndpointKind.AUTHORIZE_URL;
import static io.granary.spi.EndpointKind.TOKEN_URL;
import static io.granary.spi.Environment.PRODUCTION;

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
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Climate FieldView: OAuth 2.0 with HTTP Basic client authentication, plus the app's {@code X-Api-Key} on every
 * call. Access tokens live 4 hours; every refresh rotates the refresh token (the old one dies an hour later).
 * Access is proved by listing one field.
 *
 * <p>Sources: TheClimateCorporation/api-example {@code v4/python/climate.py} (login URL with {@code page=oidcauthn},
 * token URL, Basic header built from {@code client_id:client_secret} as issued, refresh grant, 4 h / 30 days /
 * old token dies 1 h after a refresh, 206 = more pages) and Climate's OpenAPI 4.0.11 (APIs-guru/openapi-directory
 * {@code APIs/climate.com/4.0.11/openapi.yaml}: X-Api-Key, X-Limit 1-100, "If there are no results, a response
 * code of 304 will be returned", 200 or 206 for the last page, 429 on throttling, the published scopes with
 * {@code platform} "(DEPRECATED)").
 */
public final class ClimateFieldViewProvider extends OAuth2Provider {

    static final String API_KEY = "apiKey";

    /**
     * The published read scopes Leaf's Climate tutorial asks partners to have (docs.withleaf.io guides/tutorials/
     * connect-climate-fieldview), each listed in the OpenAPI 4.0.11 scope table. {@code platform} is left out: the
     * table marks it "(DEPRECATED) Legacy scope".
     */
    static final List<String> SCOPES = List.of(
            "fields:read", "asPlanted:read", "asHarvested:read", "asApplied:read", "resourceOwners:read", "farmOrganizations:read");

    private static final ProviderDescriptor DESCRIPTOR = ProviderDescriptor.builder("ClimateFieldView")
            .displayName("Climate FieldView")
            .endpointSuffix("climate-field-view-credentials")
            .authType(AuthType.OAUTH2)
            .environments(PRODUCTION)
            .fields(oauthFields("clientId", "clientSecret", CredentialField.required(API_KEY).asSecret()))
            // token_uri, base_login_uri and api_uri of api-example v4/python/climate.py; the OpenAPI names the same hosts.
            .endpoint(TOKEN_URL, PRODUCTION, "https://api.climate.com/api/oauth/token")
            .endpoint(AUTHORIZE_URL, PRODUCTION, "https://climate.com/static/app-login/index.html")
            .endpoint(API_URL, PRODUCTION, "https://platform.climate.com")
            .build();

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected ClientAuth clientAuth() {
        return ClientAuth.BASIC;
    }

    /** api-example's authorization_header(): {@code b64encode('{}:{}'.format(client_id, client_secret))}, not form-encoded. */
    @Override
    protected BasicCredentials basicCredentials() {
        return BasicCredentials.AS_ISSUED;
    }

    @Override
    protected Duration assumedAccessTokenLifetime() {
        return Duration.ofHours(4);
    }

    @Override
    protected ProviderRequest.Builder tokenRequest(RefreshContext context, Map<String, String> form) {
        return super.tokenRequest(context, form).header("X-Api-Key", context.requiredField(API_KEY));
    }

    /**
     * One field is enough. Per the OpenAPI's pagination rules: 200 or 206 = the token reaches the grower's fields;
     * 304 with no body = it works and the grower has no fields yet; 401 bad token, 403 missing scope, 429 throttled.
     */
    @Override
    protected RefreshResult checkAccess(RefreshContext context, String accessToken) {
        ProviderResponse answer = context.http().send(ProviderRequest.get(context.endpoint(API_URL) + "/v4/fields")
                .bearer(accessToken)
                .header("X-Api-Key", context.requiredField(API_KEY))
                .header("X-Limit", "1")
                .build());
        if (answer.status() == 304) {
            return new RefreshResult.Valid("credential works; the grower has no fields in Climate FieldView yet");
        }
        return ProviderAnswers.accessCheck(answer, context.now());
    }

    @Override
    protected List<String> authorizationScopes(AuthorizationRequest request) {
        return SCOPES;
    }

    /** api-example's login_uri() sends {@code page=oidcauthn}; PKCE is not documented, so none is sent. */
    @Override
    protected Map<String, String> authorizationParameters(AuthorizationRequest request) {
        return Map.of("page", "oidcauthn");
    }
}
