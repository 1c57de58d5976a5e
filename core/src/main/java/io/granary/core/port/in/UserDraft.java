package io.granary.core.port.in;

import java.util.Map;

/**
 * A Leaf user's editable fields, validated on construction. Null means absent.
 */
public record UserDraft(String name, String email, String phone, String address, String externalId) {

    public static final int MAX_LENGTH = 255;

    public UserDraft {
        check("name", name);
        check("email", email);
        check("phone", phone);
        check("address", address);
        check("externalId", externalId);
        if (email != null && !email.isEmpty() && !email.matches("[^@\\s]+@[^@\\s]+")) {
            throw new InvalidInputException("email", "email must look like name@host");
        }
    }

    /**
     * Builds a draft from a JSON object's members; unknown members are refused. Credential links
     * ({@link CredentialLinks#isLinkName}) are not user fields: {@link CredentialLinks#fromJson} reads them.
     */
    public static UserDraft fromJson(Map<String, Object> body, boolean allowId) {
        for (String key : body.keySet()) {
            if (!FIELDS.contains(key) && !(allowId && key.equals("id")) && !CredentialLinks.isLinkName(key)) {
                throw new InvalidInputException(key, "unknown field '" + key + "'");
            }
        }
        return new UserDraft(text(body, "name"), text(body, "email"), text(body, "phone"),
                text(body, "address"), text(body, "externalId"));
    }

    /** The editable user fields, by their JSON member names. */
    static final java.util.Set<String> FIELDS = java.util.Set.of("name", "email", "phone", "address", "externalId");

    /** A string member, or null; anything else is refused naming it. */
    public static String text(Map<String, Object> body, String key) {
        Object value = body.get(key);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new InvalidInputException(key, "'" + key + "' must be a string");
    }

    private static void check(String field, String value) {
        if (value == null) {
            return;
        }
        if (value.length() > MAX_LENGTH) {
            throw new InvalidInputException(field, "'" + field + "' is longer than " + MAX_LENGTH + " characters");
        }
        if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new InvalidInputException(field, "'" + field + "' contains control characters");
        }
    }
}
