package io.granary.provider.others;

import static io.granary.spi.EndpointKind.TOKEN_URL;
import static io.granary.spi.Environment.PRODUCTION;

import io.granary.spi.AuthType;
import io.granary.spi.CredentialField;
import io.granary.spi.Json;
import io.granary.spi.MalformedAnswerException;
import io.granary.spi.ProviderAdapter;
import io.granary.spi.ProviderAnswers;
import io.granary.spi.ProviderDescriptor;
import io.granary.spi.ProviderRequest;
import io.granary.spi.ProviderResponse;
import io.granary.spi.RefreshContext;
import io.granary.spi.RefreshResult;
import io.granary.spi.TokenUpdate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stara telemetry: the grower's API key buys a fresh token set at {@code POST /token} ({@code {"apiKey"}} ->
 * {@code accessToken, accessTokenClient, refreshToken}). Stara publishes no refresh-token endpoint and no
 * lifetimes, so the API key is what renews, and an hour is assumed unless the answer says otherwise.
 */
public final class StaraProvider implements ProviderAdapter {

    static final String API_KEY = "apiKey";
    static final String ACCESS_TOKEN = "accessToken";
    static final String ACCESS_TOKEN_CLIENT = "accessTokenClient";
    static final String REFRESH_TOKEN = "refreshToken";

    /** unverified: not published. Short enough that a wrong guess only costs an early refresh. */
    static final Duration ASSUMED_LIFETIME = Duration.ofHours(1);

    private static final ProviderDescriptor DESCRIPTOR = ProviderDescriptor.builder("Stara")
            .displayName("Stara")
            .endpointSuffix("stara-credentials")
            .authType(AuthType.API_KEY_AND_OAUTH2)
            .environments(PRODUCTION)
            .fields(
                    CredentialField.required(API_KEY).asSecret(),
                    CredentialField.required(ACCESS_TOKEN).asToken(),
                    CredentialField.required(ACCESS_TOKEN_CLIENT).asToken(),
                    CredentialField.required(REFRESH_TOKEN).asSecret())
            .endpoint(TOKEN_URL, PRODUCTION, "https://v2apitelemetria.telemetriastara.com.br/token")
            .build();

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public RefreshResult refresh(RefreshContext context) {
        ProviderResponse answer = context.http().send(ProviderRequest.post(context.endpoint(TOKEN_URL))
                .json(Map.of(API_KEY, context.requiredField(API_KEY)))
                .build());
        if (!answer.isSuccess()) {
            return ProviderAnswers.tokenFailure(answer, context.now());
        }
        Map<String, Object> json = answer.jsonObject();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(ACCESS_TOKEN, present(json, ACCESS_TOKEN));
        fields.put(ACCESS_TOKEN_CLIENT, present(json, ACCESS_TOKEN_CLIENT));
        // As in OAuth: an answer without a refresh token keeps the stored one.
        String refreshToken = Json.string(json, REFRESH_TOKEN);
        if (refreshToken != null && !refreshToken.isBlank()) {
            fields.put(REFRESH_TOKEN, refreshToken);
        }
        Long expiresIn = Json.number(json, "expiresIn");
        Duration lifetime = expiresIn != null && expiresIn > 0 ? Duration.ofSeconds(expiresIn) : ASSUMED_LIFETIME;
        context.saveTokens(new TokenUpdate(fields, context.now().plus(lifetime), List.of()));
        return RefreshResult.valid();
    }

    private static String present(Map<String, Object> json, String name) {
        String value = Json.string(json, name);
        if (value == null || value.isBlank()) {
            throw new MalformedAnswerException("Stara token answer has no " + name);
        }
        return value;
    }
}
