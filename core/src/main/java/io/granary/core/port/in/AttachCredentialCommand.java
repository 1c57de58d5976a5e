package io.granary.core.port.in;

import io.granary.spi.ProviderDescriptor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of a credential attach, type-checked on construction. Which fields a provider takes, which are required
 * or generated, and how long each may be, depend on the provider's descriptor: the service checks those.
 *
 * @param environment an environment name as sent ({@code clientEnvironment}), or null for the provider's default
 * @param fields      every other member by name; null for a member sent as null (ignored unless unknown)
 */
public record AttachCredentialCommand(String environment, Map<String, String> fields) {

    public AttachCredentialCommand {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        if (fields.containsKey(ProviderDescriptor.ENVIRONMENT_FIELD)) {
            throw new IllegalArgumentException("the environment is its own member, not a field");
        }
    }

    /** From a parsed JSON body (or embedding code's string map): every member must be a string or null. */
    public static AttachCredentialCommand fromJson(Map<String, ?> body) {
        String environment = null;
        Map<String, String> fields = new LinkedHashMap<>();
        for (Map.Entry<String, ?> member : body.entrySet()) {
            String name = member.getKey();
            Object value = member.getValue();
            if (name.equals(ProviderDescriptor.ENVIRONMENT_FIELD)) {
                if (value != null && !(value instanceof String)) {
                    throw new InvalidInputException(name, "'" + name + "' must be a string");
                }
                environment = (String) value;
            } else if (value == null || value instanceof String) {
                fields.put(name, (String) value);
            } else if (JsonMembers.printable(name).equals(name)) {
                throw new InvalidInputException(name, "'" + name + "' must be a string");
            } else {
                fields.put(name, null); // a name no one could echo names no field: the service refuses it as unknown
            }
        }
        return new AttachCredentialCommand(environment, fields);
    }
}
