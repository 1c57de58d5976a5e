package io.granary.core.domain;

import java.util.Arrays;
import java.util.Optional;

/** What a webhook can subscribe to: status changes of credentials, named as Leaf names them. */
public enum AlertEvent {
    /** The credential moved to INVALID. */
    CREDENTIALS_UNAUTHENTICATED("credentialsUnauthenticated"),
    /** The credential moved to MISSING_PERMISSION. */
    CREDENTIALS_LIMITED_PERMISSION("credentialsLimitedPermission"),
    /** The credential is VALID again after being INVALID or MISSING_PERMISSION. */
    CREDENTIALS_RECOVERED("credentialsRecovered");

    private final String wireName;

    AlertEvent(String wireName) {
        this.wireName = wireName;
    }

    /** The name in the API and in payloads. */
    public String wireName() {
        return wireName;
    }

    public static Optional<AlertEvent> fromWireName(String name) {
        return Arrays.stream(values()).filter(e -> e.wireName.equals(name)).findFirst();
    }
}
