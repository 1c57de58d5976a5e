package io.granary.app;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where drop-in provider jars live: {@code GRANARY_PLUGINS_DIR}, by default {@code <data dir>/plugins}. */
final class PluginsDirectory {

    private PluginsDirectory() {
    }

    /**
     * The directory to load every {@code *.jar} of. The default may be missing (no plugins); a directory the operator
     * named must exist, so a typo does not silently start Granary without its providers.
     */
    static Path of(Settings settings) {
        String named = settings.get("GRANARY_PLUGINS_DIR", null);
        if (named == null || named.isBlank()) {
            return Path.of(settings.get("GRANARY_DATA_DIR", "granary-data")).resolve("plugins");
        }
        Path directory = Path.of(named.trim());
        if (!Files.isDirectory(directory)) {
            throw new IllegalStateException("GRANARY_PLUGINS_DIR " + directory + " is not a directory");
        }
        return directory;
    }
}
