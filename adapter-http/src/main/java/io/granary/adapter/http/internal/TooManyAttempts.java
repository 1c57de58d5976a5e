package io.granary.adapter.http.internal;

import java.time.Duration;

/** Login refused because of earlier failures; answered 429 with Retry-After. */
final class TooManyAttempts extends RuntimeException {
    private final Duration retryAfter;

    TooManyAttempts(Duration retryAfter) {
        super("too many failed logins", null, false, false);
        this.retryAfter = retryAfter;
    }

    long retryAfterSeconds() {
        // Round up so a client that waits exactly this long is let in.
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
}
