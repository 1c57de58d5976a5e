package io.granary.core.port.in;

import io.granary.core.domain.LeafConfiguration;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Configuration fields to set, checked on construction: every name is a Leaf configuration field and every value
 * fits its kind. The values stay a map of JSON values (Boolean, BigDecimal, String, Map, List) because Leaf's
 * fields are free-form JSON of differing kinds, some of them whole objects or any JSON value: a typed member per
 * field would only copy {@link LeafConfiguration}'s table. A null value passes here: whether it means "remove the
 * override" or is refused is the operation's to say.
 *
 * @param values field name to its value, in the body's order
 */
public record ConfigurationChanges(Map<String, Object> values) {

    /** Members of Leaf's answers, accepted back in a body and ignored, so an answer can be sent back as is. */
    private static final Set<String> READ_ONLY = Set.of("apiOwnerUsername", "leafUserId");

    public ConfigurationChanges {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> member : values.entrySet()) {
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
        values = Collections.unmodifiableMap(out);
    }

    /** From a parsed JSON body: its members are the fields (Leaf's read-only answer members are dropped). */
    public static ConfigurationChanges fromJson(Map<String, Object> body) {
        return new ConfigurationChanges(body);
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

    private static String safe(String name) {
        return name.length() <= 64 && name.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? name : "(unprintable)";
    }
}
