package io.granary.provider.others;

import static io.granary.provider.others.MockProvider.NOW;
import static io.granary.provider.others.MockProvider.assertNoSecretIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.spi.CredentialField;
import io.granary.spi.Environment;
import io.granary.spi.Json;
import io.granary.spi.MalformedAnswerException;
import io.granary.spi.ProviderDescriptor;
import io.granary.spi.ProviderUnreachableException;
import io.granary.spi.RefreshResult;
import io.granary.spi.UnverifiedDefaultsWarning;
import io.granary.testkit.FakeRefreshContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class AgvanceProviderTest {

    private static final String API_KEY = "agvance-api-key-3f6c";
    private static final String PASSWORD = "agvance-password-8d1e";

    private final MockProvider mock = new MockProvider();
    private final List<String> warnings = new ArrayList<>();
    private final AgvanceProvider provider = new AgvanceProvider(new UnverifiedDefaultsWarning(warnings::add));

    @AfterEach
    void stop() {
        mock.close();
    }

    private FakeRefreshContext context() {
        return mock.context(Environment.STAGE, "/api/login", "/unused")
                .field("apiKey", API_KEY)
                .field("username", "agent7")
                .field("password", PASSWORD)
                .field("databaseId", "db-123");
    }

    @Test
    void descriptor_defaultsToStageAndGeneratesSession() {
        ProviderDescriptor descriptor = provider.descriptor();
        assertEquals(Environment.STAGE, descriptor.defaultEnvironment());
        assertTrue(descriptor.field("sessionId").orElseThrow().generatedByGranary());
        assertEquals(CredentialField.Answer.OMITTED, descriptor.field("password").orElseThrow().answer());
    }

    @Test
    void unverifiedDefaults_aWrongGuessedUrlWarnsOnce_recognisedAnswersDoNot() {
        mock.enqueueStatus(401);
        provider.refresh(context());
        assertTrue(warnings.isEmpty(), warnings.toString());

        mock.enqueueStatus(404);
        mock.enqueueJson(200, "<html>hub</html>");
        provider.refresh(context());
        assertThrows(MalformedAnswerException.class, () -> provider.refresh(context()));

        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("GRANARY_PROVIDER_AGVANCE_STAGE_TOKEN_URL"), warnings.get(0));
        assertNoSecretIn(warnings.get(0), API_KEY, PASSWORD);
    }

    @Test
    void refresh_whenLoginWorks_postsAllFourAsJson() {
        mock.enqueueJson(200, "{\"sessionId\":\"session-1\"}");

        provider.refresh(context());

        RecordedRequest request = mock.take();
        assertEquals("POST", request.getMethod());
        assertEquals("/api/login", request.getTarget());
        assertEquals("application/json", request.getHeaders().get("Content-Type"));
        assertEquals(Map.of("apiKey", API_KEY, "username", "agent7", "password", PASSWORD, "databaseId", "db-123"),
                Json.parse(MockProvider.body(request)));
    }

    @Test
    void refresh_whenLoginWorks_savesSessionWithAssumedHour() {
        mock.enqueueJson(200, "{\"sessionId\":\"session-1\"}");
        FakeRefreshContext context = context();

        RefreshResult result = provider.refresh(context);

        assertInstanceOf(RefreshResult.Valid.class, result);
        assertEquals(1, context.saved().size());
        assertEquals(Map.of("sessionId", "session-1"), context.saved().get(0).fields());
        assertEquals(NOW.plus(Duration.ofHours(1)), context.saved().get(0).expiresAt());
    }

    @Test
    void refresh_whenLoginRefused_isInvalid() {
        mock.enqueueJson(401, "{\"message\":\"bad user name or password\"}");
        FakeRefreshContext context = context();

        RefreshResult result = provider.refresh(context);

        assertInstanceOf(RefreshResult.Invalid.class, result);
        assertTrue(context.saved().isEmpty());
        assertNoSecretIn(result.message(), API_KEY, PASSWORD);
    }

    @Test
    void refresh_whenDatabaseForbidden_isMissingPermission() {
        mock.enqueueStatus(403);

        assertInstanceOf(RefreshResult.MissingPermission.class, provider.refresh(context()));
    }

    @Test
    void refresh_whenRateLimited_isUnavailableWithRetryAfter() {
        mock.enqueueRateLimit("90");

        RefreshResult result = provider.refresh(context());

        assertEquals(Duration.ofSeconds(90), assertInstanceOf(RefreshResult.Unavailable.class, result).retryAfter());
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503})
    void refresh_whenHubFails_isUnavailable(int status) {
        mock.enqueueStatus(status);

        assertInstanceOf(RefreshResult.Unavailable.class, provider.refresh(context()));
    }

    @Test
    void refresh_whenAnswerIsMalformed_throwsMalformedAnswer() {
        mock.enqueueJson(200, "session-1");
        FakeRefreshContext context = context();

        assertThrows(MalformedAnswerException.class, () -> provider.refresh(context));
        assertTrue(context.saved().isEmpty());
    }

    @Test
    void refresh_whenAnswerLacksSession_throwsMalformedAnswer() {
        mock.enqueueJson(200, "{\"sessionId\":\"\"}");

        assertThrows(MalformedAnswerException.class, () -> provider.refresh(context()));
    }

    @Test
    void refresh_whenHubIsTooSlow_throwsUnreachable() {
        mock.enqueueTooSlow();

        ProviderUnreachableException thrown = assertThrows(ProviderUnreachableException.class, () -> provider.refresh(context()));

        assertNoSecretIn(thrown.getMessage(), API_KEY, PASSWORD);
    }
}
