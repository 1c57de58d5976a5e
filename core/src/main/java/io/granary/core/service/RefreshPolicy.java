package io.granary.core.service;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to refresh and when to retry.
 *
 * @param margin            refresh this long before the access token expires
 * @param maxInterval       refresh at least this often, so short-lived refresh tokens stay alive unread
 * @param retryBase         first retry delay after a temporary failure; doubles per failure
 * @param retryCap          longest retry delay, a provider's Retry-After included
 * @param lease             how long a refresh claim lives; must exceed the provider request timeout
 */
public record RefreshPolicy(Duration margin, Duration maxInterval, Duration retryBase, Duration retryCap, Duration lease) {

    public static RefreshPolicy defaults() {
        return new RefreshPolicy(Duration.ofMinutes(5), Duration.ofHours(24), Duration.ofSeconds(30),
                Duration.ofHours(1), Duration.ofMinutes(2));
    }

    /**
     * Next refresh after a success: {@code margin} before expiry, or at half-life for a token living less than
     * twice the margin, and never later than {@code maxInterval} from now.
     */
    public Instant nextRefresh(Instant now, Instant expiresAt) {
        Instant latest = now.plus(maxInterval);
        if (expiresAt == null) {
            return latest;
        }
        Duration life = Duration.between(now, expiresAt);
        Instant due = life.compareTo(margin.multipliedBy(2)) < 0 ? now.plus(life.dividedBy(2)) : expiresAt.minus(margin);
        return due.isBefore(latest) ? due : latest;
    }

    /** True if the access token expires within the margin; false when its expiry is unknown. */
    public boolean expiresSoon(Instant now, Instant expiresAt) {
        return expiresAt != null && !now.isBefore(expiresSoonFrom(expiresAt));
    }

    /** From when {@link #expiresSoon} holds for a token expiring at {@code expiresAt}. */
    public Instant expiresSoonFrom(Instant expiresAt) {
        return expiresAt.minus(margin);
    }

    /**
     * Exponential backoff with full jitter, at least as long as the provider's {@code Retry-After} but never longer
     * than {@code retryCap}: an absurd Retry-After must neither overflow nor park a credential until its refresh
     * token expires.
     */
    public Instant nextRetry(Instant now, int failures, Duration retryAfter) {
        long cap = retryCap.toMillis();
        long exponential = retryBase.toMillis() << Math.min(Math.max(failures - 1, 0), 20);
        long ceiling = Math.min(cap, exponential);
        // Half fixed, half random: spreads a provider outage's retries without ever retrying at once.
        long delay = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
        if (retryAfter != null) {
            delay = Math.max(delay, (retryAfter.compareTo(retryCap) > 0 ? retryCap : retryAfter).toMillis());
        }
        return now.plusMillis(delay);
    }
}
