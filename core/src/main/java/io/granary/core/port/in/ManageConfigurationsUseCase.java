package io.granary.core.port.in;

import java.util.Map;
import java.util.UUID;

/**
 * Leaf's configuration service: owner defaults and per-user overrides, with per-field inheritance. Values are JSON
 * values (Boolean, Number, String, Map, List). A user's value stays as set when the owner's default changes later.
 */
public interface ManageConfigurationsUseCase {

    /** Every field with a value for the owner: Leaf's defaults, overridden by what the owner set. */
    Map<String, Object> ownerConfiguration(UUID ownerId);

    /**
     * Changes the owner's defaults. @throws InvalidInputException for an unknown field, a null (defaults cannot be
     * unset) or a value of the wrong type; nothing is stored then
     */
    Map<String, Object> patchOwner(UUID ownerId, ConfigurationChanges changes);

    /** Only the user's own values, as Leaf answers. @throws NotFoundException if the user has none, or no such user */
    Map<String, Object> userConfiguration(UUID ownerId, UUID userId);

    /**
     * Creates the user's configuration. @throws ConflictException if it exists; @throws InvalidInputException for an
     * empty body, an unknown field, a null or a wrong type; @throws NotFoundException for no such user
     */
    Map<String, Object> createUser(UUID ownerId, UUID userId, ConfigurationChanges values);

    /**
     * Changes the user's configuration; a null value removes that override (the field is inherited again).
     * @throws NotFoundException if the user has no configuration
     */
    Map<String, Object> patchUser(UUID ownerId, UUID userId, ConfigurationChanges changes);

    /** @throws NotFoundException if the user has no configuration */
    void deleteUser(UUID ownerId, UUID userId);

    /** What a user's configuration resolves to for one field: the user's value, else the owner's, else null. */
    Object effective(UUID ownerId, UUID userId, String field);
}
