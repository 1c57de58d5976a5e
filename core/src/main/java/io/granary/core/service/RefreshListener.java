package io.granary.core.service;

import io.granary.core.domain.Credential;
import io.granary.core.domain.CredentialStatus;
import java.time.Duration;

/** Told what refreshes did: for metrics, logs and alerts. Must be quick and must not throw. */
public interface RefreshListener {

    RefreshListener NONE = new RefreshListener() { };

    /** After every refresh that called the provider, whatever the outcome. */
    default void refreshFinished(String providerId, CredentialStatus outcome, Duration took) {
    }

    /** After a refresh changed a credential's status. */
    default void statusChanged(Credential credential, CredentialStatus previous) {
    }
}
