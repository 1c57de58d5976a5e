package io.granary.core.domain;

/** The health of a provider credential. */
public enum CredentialStatus {
    /** Attached, not yet checked. */
    PROCESSING,
    VALID,
    /** The provider refused it (revoked, expired, bad client). Not retried until replaced. */
    INVALID,
    /** It works but lacks a scope or organization access. */
    MISSING_PERMISSION,
    /** The provider is down, slow or rate limiting; retried with backoff. */
    TEMPORARILY_UNAVAILABLE
}
