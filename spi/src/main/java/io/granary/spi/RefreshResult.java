package io.granary.spi;

import java.time.Duration;
import java.util.Objects;

/** How a refresh ended, in the terms of the credential's status. */
public sealed interface RefreshResult {

    /** A short explanation for the credential's status message; never contains secrets. */
    String message();

    /** The credential works. */
    record Valid(String message) implements RefreshResult {
    }

    /** The provider refused the credential itself (revoked, expired, bad client): the grower must act. */
    record Invalid(String message) implements RefreshResult {
    }

    /** The credential works but lacks a scope or organization access. */
    record MissingPermission(String message) implements RefreshResult {
    }

    /** The provider is down, slow, rate-limiting or answering garbage; try again later. */
    record Unavailable(String message, Duration retryAfter) implements RefreshResult {
        public Unavailable {
            Objects.requireNonNull(message, "message");
        }

        public Unavailable(String message) {
            this(message, null);
        }
    }

    static RefreshResult valid() {
        return new Valid("credential works");
    }
}
