package io.granary.core.service;

import io.granary.core.domain.LeafConfiguration;
import io.granary.core.domain.OrganizationStatus;
import io.granary.core.port.in.ConflictException;
import io.granary.core.port.in.InvalidInputException;
import io.granary.core.port.in.ManageConfigurationsUseCase;
import io.granary.core.port.in.NotFoundException;
import io.granary.core.port.out.ConfigurationStore;
import io.granary.core.port.out.LeafUserStore;
import io.granary.spi.Json;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
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

    /** Members of Leaf's answers, accepted back in a body and ignored, so an answer can be sent back as is. */
    private static final Set<String> READ_ONLY = Set.of("apiOwnerUsername", "leafUserId");

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
    public Map<String, Object> patchOwner(UUID ownerId, Map<String, Object> changes) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, Object> change : fields(changes).entrySet()) {
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
    public Map<String, Object> createUser(UUID ownerId, UUID userId, Map<String, Object> values) {
        requireUser(ownerId, userId);
        Map<String, Object> checked = fields(values);
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
    public Map<String, Object> patchUser(UUID ownerId, UUID userId, Map<String, Object> changes) {
        requireUser(ownerId, userId);
        Map<String, Object> checked = fields(changes);
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

    /** The body's configuration fields, each checked against its kind (nulls pass: callers decide). */
    private static Map<String, Object> fields(Map<String, Object> body) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> member : body.entrySet()) {
            String name = member.getKey();
            if (READ_ONLY.contains(name)) {
                continue;
            }
            LeafConfiguration.Field field = LeafConfiguration.field(name).orElseThrow(() -> new InvalidInputException(
                    safe(name), "unknown configuration '" + safe(name) + "'"));
            Object value = member.getValue();
            if (value != null && !fits(field.kind(), value)) {
                throw new InvalidInputException(name, "'" + name + "' must be " + describe(field.kind()));
            }
            out.put(name, value instanceof Number n && !(value instanceof BigDecimal) ? new BigDecimal(n.toString()) : value);
        }
        return out;
    }

    private static boolean fits(LeafConfiguration.Kind kind, Object value) {
        return switch (kind) {
            case BOOLEAN -> value instanceof Boolean;
            case NUMBER -> value instanceof Number n && new BigDecimal(n.toString()).signum() >= 0;
            case ORGANIZATION_SYNC -> "ALL".equals(value) || "SELECTED_ONLY".equals(value);
            case OBJECT -> value instanceof Map<?, ?>;
            case ANY -> value instanceof Boolean || value instanceof Number || value instanceof String
                    || value instanceof Map<?, ?> || value instanceof List<?>;
        };
    }

    private static String describe(LeafConfiguration.Kind kind) {
        return switch (kind) {
            case BOOLEAN -> "true or false";
            case NUMBER -> "a number of 0 or more";
            case ORGANIZATION_SYNC -> "ALL or SELECTED_ONLY";
            case OBJECT -> "a JSON object";
            case ANY -> "a JSON value";
        };
    }

    private void requireUser(UUID ownerId, UUID userId) {
        users.find(ownerId, userId).orElseThrow(() -> UserService.notFound(userId));
    }

    private static NotFoundException noConfiguration(UUID userId) {
        return new NotFoundException("Leaf user " + userId + " has no configuration of its own; it inherits the owner's");
    }

    private static String safe(String name) {
        return name.length() <= 64 && name.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? name : "(unprintable)";
    }
}
