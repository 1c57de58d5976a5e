package io.granary.core.port.in;

import java.util.Map;

/** Reading members of a parsed JSON object into commands, refusing wrong types naming the member. */
public final class JsonMembers {

    public static final int MAX_TEXT = 2048;

    private JsonMembers() {
    }

    /** A short single-line string member, or null when absent or blank (refused then if required). */
    public static String text(Map<String, Object> body, String name, boolean required) {
        Object value = body.get(name);
        if (value == null || (value instanceof String s && s.isBlank())) {
            if (required) {
                throw new InvalidInputException(name, "'" + name + "' is required");
            }
            return null;
        }
        if (!(value instanceof String text)) {
            throw new InvalidInputException(name, "'" + name + "' must be a string");
        }
        if (text.length() > MAX_TEXT || text.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new InvalidInputException(name, "'" + name + "' is too long or contains control characters");
        }
        return text;
    }

    /** A name safe to echo in an error message. */
    public static String printable(String name) {
        return name != null && name.length() <= 64 && name.chars().allMatch(c -> c > 0x20 && c < 0x7f) ? name : "(unprintable)";
    }
}
