package io.granary.core.service;

import io.granary.core.domain.LeafConfiguration;
import io.granary.core.domain.OrganizationStatus;
import io.granary.core.port.in.ConfigurationChanges;
import io.granary.core.port.in.ConflictException;
import io.granary.core.port.in.InvalidInputException;
import io.granary.core.port.in.ManageConfigurationsUseCase;
import io.granary.core.port.in.NotFoundException;
import io.granary.core.port.out.ConfigurationStore;
import io.granary.core.port.out.LeafUserStore;
import io.granary.spi.Json;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Leaf's configurations (https://docs.withleaf.io/configuration/overview, "How configuration inheritance works"):
 * owner defaults that can be changed but never deleted or set to null; per-user values that win field by field and
 * stay as set when the owner's default changes later. Also tells the organization routes the default status of a
 * connected organization ({@code organizationDataSync}: ALL selects, SELECTED_ONLY previews).
 */
public final class ConfigurationService implements ManageConfigurationsUseCase, ProviderOrganizationService.Defaults {

    private final ConfigurationStore store;
    private final LeafUserStore users;

    public ConfigurationService(ConfigurationStore store, LeafUserStore users) {
        this.store = store;
        this.users = users;
    }

    @Override
    public Map<String, Object> ownerConfiguration(UUID ownerId) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (LeafConfiguration.Field field : LeafConfiguration.fields()) {
            if (field.ownerDefault() != null) {
                out.put(field.name(), field.ownerDefault());
            }
        }
        store.ownerValues(ownerId).forEach((name, json) -> out.put(name, Json.parse(json)));
        return out;
    }

    @Override
    public Map<String, Object> patchOwner(UUID ownerId, ConfigurationChanges changes) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, Object> change : changes.values().entrySet()) {
            if (change.getValue() == null) {
                throw new InvalidInputException(change.getKey(), "the owner's '" + change.getKey()
                        + "' cannot be set to null: owner defaults can be changed, not removed");
            }
            values.put(change.getKey(), Json.write(change.getValue()));
        }
        store.saveOwnerValues(ownerId, values);
        return ownerConfiguration(ownerId);
    }

    @Override
    public Map<String, Object> userConfiguration(UUID ownerId, UUID userId) {
        requireUser(ownerId, userId);
        Map<String, String> stored = store.userValues(ownerId, userId);
        if (stored.isEmpty()) {
            throw noConfiguration(userId);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (LeafConfiguration.Field field : LeafConfiguration.fields()) {
            String json = stored.get(field.name());
            if (json != null) {
                out.put(field.name(), Json.parse(json));
            }
        }
        return out;
    }

    @Override
    public Map<String, Object> createUser(UUID ownerId, UUID userId, ConfigurationChanges values) {
        requireUser(ownerId, userId);
        Map<String, Object> checked = values.values();
        if (checked.isEmpty()) {
            throw new InvalidInputException(null, "a configuration needs at least one field; a user without one inherits everything");
        }
        Map<String, String> json = new LinkedHashMap<>();
        for (Map.Entry<String, Object> value : checked.entrySet()) {
            if (value.getValue() == null) {
                throw new InvalidInputException(value.getKey(), "'" + value.getKey() + "' cannot be null; leave it out to inherit it");
            }
            json.put(value.getKey(), Json.write(value.getValue()));
        }
        if (!store.userValues(ownerId, userId).isEmpty()) {
            throw new ConflictException("Leaf user " + userId + " already has a configuration; PATCH it instead");
        }
        store.saveUserValues(ownerId, userId, json, Set.of());
        return userConfiguration(ownerId, userId);
    }

    @Override
    public Map<String, Object> patchUser(UUID ownerId, UUID userId, ConfigurationChanges changes) {
        requireUser(ownerId, userId);
        Map<String, Object> checked = changes.values();
        if (store.userValues(ownerId, userId).isEmpty()) {
            throw noConfiguration(userId);
        }
        Map<String, String> set = new LinkedHashMap<>();
        Set<String> removed = new HashSet<>();
        checked.forEach((name, value) -> {
            if (value == null) {
                removed.add(name);
            } else {
                set.put(name, Json.write(value));
            }
        });
        store.saveUserValues(ownerId, userId, set, removed);
        Map<String, String> after = store.userValues(ownerId, userId);
        if (after.isEmpty()) {
            return Map.of(); // every override removed: the user inherits everything again, and GET answers 404
        }
        return userConfiguration(ownerId, userId);
    }

    @Override
    public void deleteUser(UUID ownerId, UUID userId) {
        requireUser(ownerId, userId);
        if (!store.deleteUserValues(ownerId, userId)) {
            throw noConfiguration(userId);
        }
    }

    @Override
    public Object effective(UUID ownerId, UUID userId, String field) {
        String own = store.userValues(ownerId, userId).get(field);
        if (own != null) {
            return Json.parse(own);
        }
        return ownerConfiguration(ownerId).get(field);
    }

    @Override
    public OrganizationStatus forUser(UUID ownerId, UUID userId) {
        return "SELECTED_ONLY".equals(effective(ownerId, userId, LeafConfiguration.ORGANIZATION_DATA_SYNC))
                ? OrganizationStatus.PREVIEW : OrganizationStatus.SELECTED;
    }

    private void requireUser(UUID ownerId, UUID userId) {
        users.find(ownerId, userId).orElseThrow(() -> UserService.notFound(userId));
    }

    private static NotFoundException noConfiguration(UUID userId) {
        return new NotFoundException("Leaf user " + userId + " has no configuration of its own; it inherits the owner's");
    }
}
