package io.granary.core.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * An organization a credential's grant saw at the provider on its latest refresh, with the status an owner chose
 * for it by hand.
 *
 * @param connected     false when the grower has not yet shared it with the app
 * @param managementUri where the grower connects it, or null
 * @param chosen        SELECTED or PREVIEW as set by hand, or null for the default of the user's configuration
 * @param seenAt        the refresh that last saw it
 */
public record SeenOrganization(String id, String name, boolean connected, String managementUri,
                               OrganizationStatus chosen, Instant seenAt) {
    public SeenOrganization {
        Objects.requireNonNull(id, "id");
        if (chosen == OrganizationStatus.BLOCKED) {
            throw new IllegalArgumentException("BLOCKED follows from the connection; it is never chosen");
        }
    }
}
