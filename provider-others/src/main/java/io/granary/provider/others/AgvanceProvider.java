package io.granary.provider.others;

import static io.granary.spi.EndpointKind.TOKEN_URL;
import static io.granary.spi.Environment.PRODUCTION;
import static io.granary.spi.Environment.STAGE;

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
import io.granary.spi.UnverifiedDefaultsWarning;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Agvance (SSI hub API): logging in with the app's API key and the grower's user name, password and database id
 * yields a {@code sessionId}. SSI publishes neither the login URL nor its body, nor the session lifetime: the
 * defaults below are guesses to override, and the session is renewed hourly.
 */
public final class AgvanceProvider implements ProviderAdapter {

    static final String SESSION_ID = "sessionId";

    // unverified: not published. Re-logging in hourly is cheap and keeps a short server-side session alive.
    static final Duration ASSUMED_SESSION_LIFETIME = Duration.ofHours(1);

    private static final ProviderDescriptor DESCRIPTOR = ProviderDescriptor.builder("Agvance")
            .displayName("Agvance")
            .endpointSuffix("agvance-credentials")
            .authType(AuthType.API_KEY_AND_CREDENTIALS)
            .environments(STAGE, PRODUCTION)
            .fields(
                    CredentialField.required("apiKey").asSecret(),
                    CredentialField.required("username"),
                    CredentialField.required("password").asPassword(),
                    CredentialField.required("databaseId"),
                    CredentialField.generated(SESSION_ID).asToken())
            // unverified: not published
            .endpoint(TOKEN_URL, STAGE, "https://hub-stage.agvance.net/api/login")
            // unverified: not published
            .endpoint(TOKEN_URL, PRODUCTION, "https://hub.agvance.net/api/login")
            .unverifiedDefaults("SSI publishes neither the Agvance hub login URL nor its body; hub(-stage).agvance.net/api/login,"
                    + " a JSON body of apiKey, username, password and databaseId, and a sessionId answer are assumptions")
            .build();

    private final UnverifiedDefaultsWarning defaultsWarning;

    public AgvanceProvider() {
        this(new UnverifiedDefaultsWarning());
    }

    AgvanceProvider(UnverifiedDefaultsWarning defaultsWarning) {
        this.defaultsWarning = defaultsWarning;
    }

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public RefreshResult refresh(RefreshContext context) {
        Map<String, String> login = new LinkedHashMap<>();
        for (String name : List.of("apiKey", "username", "password", "databaseId")) {
            login.put(name, context.requiredField(name));
        }
        String url = context.endpoint(TOKEN_URL);
        ProviderResponse answer = context.http().send(ProviderRequest.post(url).json(login).build());
        defaultsWarning.answered(DESCRIPTOR, context, url, answer);
        if (!answer.isSuccess()) {
            // 401 = wrong key or password (INVALID); 403 = the user may not open that database (MISSING_PERMISSION).
            return ProviderAnswers.apiFailure(answer, context.now());
        }
        String sessionId;
        try {
            sessionId = Json.string(answer.jsonObject(), SESSION_ID);
        } catch (MalformedAnswerException notJson) {
            defaultsWarning.unreadable(DESCRIPTOR, context, url);
            throw notJson;
        }
        if (sessionId == null || sessionId.isBlank()) {
            defaultsWarning.unreadable(DESCRIPTOR, context, url);
            throw new MalformedAnswerException("Agvance login answer has no sessionId");
        }
        context.saveTokens(new TokenUpdate(Map.of(SESSION_ID, sessionId), context.now().plus(ASSUMED_SESSION_LIFETIME), List.of()));
        return RefreshResult.valid();
    }
}
