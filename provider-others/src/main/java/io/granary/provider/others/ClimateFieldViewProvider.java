package io.granary.provider.others;

import static io.granary.spi.EndpointKind.API_URL;
import static io.granary.spi.EndpointKind.AUTHORIZE_URL;
import static io.granary.spi.EndpointKind.TOKEN_URL;
import static io.granary.spi.Environment.PRODUCTION;

import io.granary.spi.AuthorizationRequest;
import java.util.List;
import io.granary.spi.AuthType;
import io.granary.spi.CredentialField;
import io.granary.spi.OAuth2Provider;
import io.granary.spi.ProviderAnswers;
import io.granary.spi.ProviderDescriptor;
import io.granary.spi.ProviderRequest;
import io.granary.spi.ProviderResponse;
import io.granary.spi.RefreshContext;
import io.granary.spi.RefreshResult;
import java.time.Duration;
import java.util.Map;

/**
 * Climate FieldView: OAuth 2.0 with HTTP Basic client authentication, plus the app's {@code X-Api-Key} on every
 * call. Access tokens live 4 hours; every refresh rotates the refresh token (the old one dies an hour later).
 * Access is proved by listing one field.
 */
public final class ClimateFieldViewProvider extends OAuth2Provider {

    static final String API_KEY = "apiKey";

    private static final ProviderDescriptor DESCRIPTOR = ProviderDescriptor.builder("ClimateFieldView")
            .displayName("Climate FieldView")
            .endpointSuffix("climate-field-view-credentials")
            .authType(AuthType.OAUTH2)
            .environments(PRODUCTION)
            .fields(oauthFields("clientId", "clientSecret", CredentialField.required(API_KEY).asSecret()))
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

    @Override
    protected Duration assumedAccessTokenLifetime() {
        return Duration.ofHours(4);
    }

    @Override
    protected ProviderRequest.Builder tokenRequest(RefreshContext context, Map<String, String> form) {
        return super.tokenRequest(context, form).header("X-Api-Key", context.requiredField(API_KEY));
    }

    /** One field is enough: 2xx (206 when more pages exist) means the token reaches the grower's data. */
    @Override
    protected RefreshResult checkAccess(RefreshContext context, String accessToken) {
        ProviderResponse answer = context.http().send(ProviderRequest.get(context.endpoint(API_URL) + "/v4/fields")
                .bearer(accessToken)
                .header("X-Api-Key", context.requiredField(API_KEY))
                .header("X-Limit", "1")
                .build());
        return ProviderAnswers.accessCheck(answer, context.now());
    }

    /** unverified: Climate's partner samples ask for {@code openid platform partnerapis}; PKCE is not documented. */
    @Override
    protected List<String> authorizationScopes(AuthorizationRequest request) {
        return List.of("openid", "platform", "partnerapis");
    }
}
