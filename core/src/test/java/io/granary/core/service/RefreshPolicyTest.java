package io.granary.core.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

final class RefreshPolicyTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private final RefreshPolicy policy = RefreshPolicy.defaults();

    @Test
    void nextRefresh_isMarginBeforeExpiry() {
        assertEquals(NOW.plus(Duration.ofMinutes(55)), policy.nextRefresh(NOW, NOW.plus(Duration.ofHours(1))));
    }

    @Test
    void nextRefresh_whenTokenLivesLessThanTwoMargins_isAtHalfLife() {
        assertEquals(NOW.plus(Duration.ofMinutes(3)), policy.nextRefresh(NOW, NOW.plus(Duration.ofMinutes(6))));
    }

    @Test
    void nextRefresh_isNeverLaterThanTheMaximumInterval() {
        assertEquals(NOW.plus(Duration.ofHours(24)), policy.nextRefresh(NOW, NOW.plus(Duration.ofDays(90))));
        assertEquals(NOW.plus(Duration.ofHours(24)), policy.nextRefresh(NOW, null));
    }

    @Test
    void nextRetry_growsExponentiallyWithinTheCapAndHonoursRetryAfter() {
        for (int failures = 1; failures <= 30; failures++) {
            Duration delay = Duration.between(NOW, policy.nextRetry(NOW, failures, null));
            long ceiling = Math.min(Duration.ofHours(1).toMillis(), 30_000L << Math.min(failures - 1, 20));
            assertTrue(delay.toMillis() >= ceiling / 2 && delay.toMillis() <= ceiling, failures + ": " + delay);
        }
        assertEquals(NOW.plusSeconds(600), policy.nextRetry(NOW, 1, Duration.ofSeconds(600)));
    }

    @Test
    void nextRetry_honoursRetryAfterOnlyUpToTheCap() {
        // Long.MAX_VALUE seconds once overflowed toMillis(); a year would have parked the credential past its refresh token's life.
        assertEquals(NOW.plus(Duration.ofHours(1)), policy.nextRetry(NOW, 1, Duration.ofSeconds(Long.MAX_VALUE)));
        assertEquals(NOW.plus(Duration.ofHours(1)), policy.nextRetry(NOW, 1, Duration.ofDays(365)));
        assertEquals(NOW.plus(Duration.ofMinutes(59)), policy.nextRetry(NOW, 1, Duration.ofMinutes(59)));
    }

    @Test
    void expiresSoon_withinTheMarginOnly() {
        assertTrue(policy.expiresSoon(NOW, NOW.plus(Duration.ofMinutes(4))));
        assertFalse(policy.expiresSoon(NOW, NOW.plus(Duration.ofMinutes(6))));
        assertFalse(policy.expiresSoon(NOW, null));
    }
}
