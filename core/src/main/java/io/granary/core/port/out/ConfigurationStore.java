package io.granary.core.port.out;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Configuration values that owners and users set explicitly (Leaf's configuration service), each as JSON text.
 * Defaults are not stored: an owner's row exists only for a field it changed. A user's values go with the user.
 */
public interface ConfigurationStore {

    /** The owner's explicitly set values by field name (JSON text); empty if none. */
    Map<String, String> ownerValues(UUID ownerId);

    /** Sets the owner's values (JSON text) in one transaction, keeping the others. */
    void saveOwnerValues(UUID ownerId, Map<String, String> values);

    /** The user's own values by field name (JSON text); empty when the user has no configuration. */
    Map<String, String> userValues(UUID ownerId, UUID userId);

    /**
     * In one transaction: sets {@code values} and removes {@code removed} from the user's configuration.
     * The user must exist for this owner (the caller checked).
     */
    void saveUserValues(UUID ownerId, UUID userId, Map<String, String> values, Set<String> removed);

    /** @return false if the user had no configuration */
    boolean deleteUserValues(UUID ownerId, UUID userId);
}
