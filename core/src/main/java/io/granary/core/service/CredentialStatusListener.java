package io.granary.core.service;

import io.granary.core.domain.Credential;
import io.granary.core.domain.CredentialStatus;

/** Told after a refresh changed a credential's status (alerts hook in here). */
@FunctionalInterface
public interface CredentialStatusListener {

    CredentialStatusListener NONE = (credential, previous) -> { };

    void statusChanged(Credential credential, CredentialStatus previous);
}
