package io.granary.core.port.in;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The body of an app key's create or replace, type-checked on construction. Which field names a provider's app
 * key takes, and which are required, depend on its descriptor: the service checks that.
 *
 * @param fields every member but {@code scopes}, by name; null for a member sent as null or blank (so the service
 *               can still refuse it as unknown, and counts it as missing when required)
 * @param scopes scope names such as {@code FIELDS:READ}; empty when absent
 */
public record AppKeyCommand(Map<String, String> fields, List<String> scopes) {

    public static final String SCOPES = "scopes";
    private static final Pattern SCOPE = Pattern.compile("[A-Za-z0-9:_.-]{1,64}");
    private static final String SCOPES_PROBLEM = "'scopes' must be a list of at most 32 scope names such as FIELDS:READ";

    public AppKeyCommand {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        if (scopes.size() > 32 || !scopes.stream().allMatch(s -> s != null && SCOPE.matcher(s).matches())) {
            throw new InvalidInputException(SCOPES, SCOPES_PROBLEM);
        }
        scopes = List.copyOf(scopes);
    }

    /** From a parsed JSON body: string members (refused naming them otherwise) and {@code scopes}. */
    public static AppKeyCommand fromJson(Map<String, Object> body) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String name : body.keySet()) {
            if (!name.equals(SCOPES)) {
                // A name no one could echo names no provider's field: left to the service to refuse as unknown.
                boolean echoable = JsonMembers.printable(name).equals(name);
                fields.put(name, echoable ? JsonMembers.text(body, name, false) : null);
            }
        }
        return new AppKeyCommand(fields, scopes(body.get(SCOPES)));
    }

    private static List<String> scopes(Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
            throw new InvalidInputException(SCOPES, SCOPES_PROBLEM);
        }
        return list.stream().map(String.class::cast).toList();
    }
}
