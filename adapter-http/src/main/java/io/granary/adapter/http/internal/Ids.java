package io.granary.adapter.http.internal;

import java.util.UUID;
import java.util.regex.Pattern;

final class Ids {
    // UUID.fromString accepts odd forms such as "1-1-1-1-1"; ids must be canonical.
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Ids() {
    }

    static UUID parse(String field, Object value) {
        if (!(value instanceof String text) || !UUID_TEXT.matcher(text).matches()) {
            throw Problem.badField(field, "'" + field + "' must be a UUID");
        }
        return UUID.fromString(text);
    }
}
