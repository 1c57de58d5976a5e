package io.granary.provider.others;

import static io.granary.provider.others.MockProvider.NOW;
import static io.granary.provider.others.MockProvider.assertNoSecretIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.spi.Environment;
import io.granary.spi.Json;
import io.granary.spi.MalformedAnswerException;
import io.granary.spi.ProviderUnreachableException;
import io.granary.spi.RefreshResult;
import io.granary.spi.TokenUpdate;
import io.granary.testkit.FakeRefreshContext;
import java.time.Duration;
import java.util.Map;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class StaraProviderTest {

    private static final String API_KEY = "stara-api-key-8e4f";
    private static final String OLD_REFRESH = "stara-old-refresh-2a1c";

    private final MockProvider mock = new MockProvider();
    private final StaraProvider provider = new StaraProvider();

    @AfterEach
    void stop() {
        mock.close();
    }

    private FakeRefreshContext context() {
        return mock.context(Environment.PRODUCTION, "/token", "/unused")
                .field("apiKey", API_KEY)
                .field("accessToken", "stara-old-access")
                .field("accessTokenClient", "stara-old-access-client")
                .field("refreshToken", OLD_REFRESH);
    }

    private static String tokens(String refreshToken) {
        return "{\"accessToken\":\"new-access\",\"accessTokenClient\":\"new-access-client\""
                + (refreshToken == null ? "" : ",\"refreshToken\":\"" + refreshToken + "\"") + "}";
    }

    @Test
    void refresh_whenStaraAnswers_postsApiKeyAsJson() {
        mock.enqueueJson(200, tokens("new-refresh"));

        provider.refresh(context());

        RecordedRequest request = mock.take();
        assertEquals("POST", request.getMethod());
        assertEquals("/token", request.getTarget());
        assertEquals("application/json", request.getHeaders().get("Content-Type"));
        assertEquals("application/json", request.getHeaders().get("Accept"));
        assertEquals(Map.of("apiKey", API_KEY), Json.parse(MockProvider.body(request)));
    }

    @Test
    void refresh_whenStaraAnswers_savesAllThreeTokensWithAssumedHour() {
        mock.enqueueJson(200, tokens("new-refresh"));
        FakeRefreshContext context = context();

        RefreshResult result = provider.refresh(context);

        assertInstanceOf(RefreshResult.Valid.class, result);
        assertEquals(1, context.saved().size());
        TokenUpdate update = context.saved().get(0);
        assertEquals(Map.of("accessToken", "new-access", "accessTokenClient", "new-access-client", "refreshToken", "new-refresh"),
                update.fields());
        assertEquals(NOW.plus(Duration.ofHours(1)), update.expiresAt());
    }

    @Test
    void refresh_whenAnswerHasExpiresIn_usesIt() {
        mock.enqueueJson(200, "{\"accessToken\":\"a\",\"accessTokenClient\":\"c\",\"refreshToken\":\"r\",\"expiresIn\":600}");
        FakeRefreshContext context = context();

        provider.refresh(context);

        assertEquals(NOW.plusSeconds(600), context.saved().get(0).expiresAt());
    }

    @Test
    void refresh_whenAnswerHasNoRefreshToken_keepsOldOne() {
        mock.enqueueJson(200, tokens(null));
        FakeRefreshContext context = context();

        provider.refresh(context);

        assertEquals(OLD_REFRESH, context.current("refreshToken"));
        assertEquals("new-access", context.current("accessToken"));
    }

    @Test
    void refresh_whenApiKeyRefused_isInvalid() {
        mock.enqueueJson(401, "{\"message\":\"apiKey inválida\"}");
        FakeRefreshContext context = context();

        RefreshResult result = provider.refresh(context);

        assertInstanceOf(RefreshResult.Invalid.class, result);
        assertTrue(context.saved().isEmpty());
        assertNoSecretIn(result.message(), API_KEY, OLD_REFRESH);
    }

    @Test
    void refresh_whenStaraAnswers403_isMissingPermission() {
        mock.enqueueStatus(403);

        assertInstanceOf(RefreshResult.MissingPermission.class, provider.refresh(context()));
    }

    @Test
    void refresh_whenRateLimited_isUnavailableWithRetryAfter() {
        mock.enqueueRateLimit("30");

        RefreshResult result = provider.refresh(context());

        assertEquals(Duration.ofSeconds(30), assertInstanceOf(RefreshResult.Unavailable.class, result).retryAfter());
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503})
    void refresh_whenStaraFails_isUnavailable(int status) {
        mock.enqueueStatus(status);
        FakeRefreshContext context = context();

        assertInstanceOf(RefreshResult.Unavailable.class, provider.refresh(context));
        assertTrue(context.saved().isEmpty());
    }

    @Test
    void refresh_whenAnswerIsMalformed_throwsMalformedAnswer() {
        mock.enqueueJson(200, "{\"accessToken\":\"new-access\",");
        FakeRefreshContext context = context();

        assertThrows(MalformedAnswerException.class, () -> provider.refresh(context));
        assertTrue(context.saved().isEmpty());
    }

    @Test
    void refresh_whenAnswerLacksClientToken_throwsWithoutSavingHalf() {
        mock.enqueueJson(200, "{\"accessToken\":\"new-access\",\"refreshToken\":\"new-refresh\"}");
        FakeRefreshContext context = context();

        MalformedAnswerException thrown = assertThrows(MalformedAnswerException.class, () -> provider.refresh(context));

        assertTrue(context.saved().isEmpty());
        assertNoSecretIn(thrown.getMessage(), "new-access", "new-refresh");
    }

    @Test
    void refresh_whenStaraIsTooSlow_throwsUnreachable() {
        mock.enqueueTooSlow();

        ProviderUnreachableException thrown = assertThrows(ProviderUnreachableException.class, () -> provider.refresh(context()));

        assertNoSecretIn(thrown.getMessage(), API_KEY);
    }
}
