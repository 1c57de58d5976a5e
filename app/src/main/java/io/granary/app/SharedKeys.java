package io.granary.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The keys every instance on one PostgreSQL database must share: the master key (checked in
 * {@link Application#openStorage}), the JWT secret and the magic-link key. On SQLite a missing key is generated
 * into the data directory; on PostgreSQL that would give each instance its own key (tokens signed by one refused
 * by the next, secrets sealed under a key the others lack), so start-up refuses instead and says why.
 */
final class SharedKeys {

    private SharedKeys() {
    }

    /**
     * The base64 key of {@code setting}, or of the file named by {@code setting_FILE}; null if neither is set and the
     * storage is not shared (the caller then generates one).
     *
     * @throws IllegalStateException if neither is set and the storage is shared
     */
    static String configured(Settings settings, String setting) {
        String inline = settings.get(setting);
        if (inline != null) {
            return inline;
        }
        String file = settings.get(setting + "_FILE");
        if (file != null) {
            try {
                return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + setting + "_FILE " + file + ": " + e.getClass().getSimpleName(), e);
            }
        }
        if (DatabaseSettings.from(settings) != null) {
            throw new IllegalStateException(refusal(setting, setting + "_FILE", setting.substring("GRANARY_".length()).toLowerCase().replace('_', ' ')));
        }
        return null;
    }

    static String refusal(String setting, String fileSetting, String what) {
        return "with GRANARY_DATABASE_URL (PostgreSQL) the " + what + " must be given in " + setting + " or " + fileSetting
                + ", the same on every instance: a key generated into one instance's data directory would differ from the"
                + " other instances' keys";
    }
}
