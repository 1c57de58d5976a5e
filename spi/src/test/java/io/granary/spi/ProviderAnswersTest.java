package io.granary.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class ProviderAnswersTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    private static ProviderResponse answer(int status, String body, String... headers) {
        Map<String, List<String>> map = new java.util.HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            map.put(headers[i], List.of(headers[i + 1]));
        }
        return new ProviderResponse(status, map, body);
    }

    @Test
    void tokenFailure_decidesOnTheErrorFieldFirst() {
        assertInstanceOf(RefreshResult.Invalid.class, ProviderAnswers.tokenFailure(answer(400, "{\"error\":\"invalid_grant\"}"), NOW));
        assertInstanceOf(RefreshResult.Invalid.class, ProviderAnswers.tokenFailure(answer(401, "{\"error\":\"invalid_client\"}"), NOW));
        assertInstanceOf(RefreshResult.MissingPermission.class, ProviderAnswers.tokenFailure(answer(400, "{\"error\":\"invalid_scope\"}"), NOW));
        // A 400 without an OAuth error is not proof of a dead grant: retry.
        assertInstanceOf(RefreshResult.Unavailable.class, ProviderAnswers.tokenFailure(answer(400, "<html>bad gateway</html>"), NOW));
        assertInstanceOf(RefreshResult.Invalid.class, ProviderAnswers.tokenFailure(answer(401, ""), NOW));
        assertInstanceOf(RefreshResult.MissingPermission.class, ProviderAnswers.tokenFailure(answer(403, ""), NOW));
        assertInstanceOf(RefreshResult.Unavailable.class, ProviderAnswers.tokenFailure(answer(503, "{\"error\":\"invalid_grant\"}"), NOW));
    }

    @Test
    void unavailable_honoursRetryAfterInSecondsAndAsDate() {
        RefreshResult.Unavailable seconds = (RefreshResult.Unavailable) ProviderAnswers.tokenFailure(answer(429, "", "Retry-After", "120"), NOW);
        assertEquals(Duration.ofSeconds(120), seconds.retryAfter());
        RefreshResult.Unavailable date = (RefreshResult.Unavailable) ProviderAnswers.apiFailure(
                answer(503, "", "retry-after", "Sun, 22 Nov 2026 12:01:00 GMT"), NOW);
        assertEquals(Duration.ofSeconds(60), date.retryAfter());
    }
}
