package io.granary.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which database: {@code GRANARY_DATABASE_URL=jdbc:postgresql://host:port/db} selects PostgreSQL, with
 * {@code GRANARY_DATABASE_USER} and {@code GRANARY_DATABASE_PASSWORD} (or {@code GRANARY_DATABASE_PASSWORD_FILE});
 * unset keeps SQLite in the data directory. {@link #toString()} never shows the password.
 */
record DatabaseSettings(String url, String user, String password, int poolSize) {

    static DatabaseSettings from(Settings settings) {
        return withUrl(settings, settings.get("GRANARY_DATABASE_URL"));
    }

    /** For {@code migrate --to URL}: the given URL, the user and password from the settings. */
    static DatabaseSettings withUrl(Settings settings, String url) {
        if (url == null) {
            return null;
        }
        if (!url.startsWith("jdbc:postgresql://")) {
            throw new IllegalStateException("GRANARY_DATABASE_URL must be a PostgreSQL JDBC URL: jdbc:postgresql://host:port/database");
        }
        return new DatabaseSettings(url, settings.get("GRANARY_DATABASE_USER"), password(settings),
                settings.integer("GRANARY_DATABASE_POOL_SIZE", 10, 2, 200));
    }

    private static String password(Settings settings) {
        String inline = settings.get("GRANARY_DATABASE_PASSWORD");
        String file = settings.get("GRANARY_DATABASE_PASSWORD_FILE");
        if (inline != null && file != null) {
            throw new IllegalStateException("set GRANARY_DATABASE_PASSWORD or GRANARY_DATABASE_PASSWORD_FILE, not both");
        }
        if (file == null) {
            return inline;
        }
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read GRANARY_DATABASE_PASSWORD_FILE " + file + ": " + e.getClass().getSimpleName(), e);
        }
    }

    /** The URL without its query (which may carry a password), for an operator's messages. */
    String describe() {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    @Override
    public String toString() {
        return "DatabaseSettings[" + describe() + ", user=" + user + "]";
    }
}
