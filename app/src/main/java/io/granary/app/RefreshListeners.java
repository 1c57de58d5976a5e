package io.granary.app;

import io.granary.core.domain.Credential;
import io.granary.core.domain.CredentialStatus;
import io.granary.core.service.RefreshListener;
import java.time.Duration;

/** Several listeners behind core's single one. */
final class RefreshListeners {

    private RefreshListeners() {
    }

    static RefreshListener both(RefreshListener first, RefreshListener second) {
        return new RefreshListener() {
            @Override
            public void refreshFinished(String providerId, CredentialStatus outcome, Duration took) {
                first.refreshFinished(providerId, outcome, took);
                second.refreshFinished(providerId, outcome, took);
            }

            @Override
            public void statusChanged(Credential credential, CredentialStatus previous) {
                first.statusChanged(credential, previous);
                second.statusChanged(credential, previous);
            }
        };
    }
}
