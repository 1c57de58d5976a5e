package io.granary.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * Configuration from environment variables, optionally backed by a properties file named by
 * {@code GRANARY_CONFIG_FILE} (same keys). The environment wins. Every setting is listed in the README.
 */
public final class Settings {

    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = values;
    }

    public static Settings fromEnvironment() {
        return from(System.getenv());
    }

    public static Settings from(Map<String, String> environment) {
        Map<String, String> merged = new HashMap<>();
        String file = environment.get("GRANARY_CONFIG_FILE");
        if (file != null && !file.isBlank()) {
            Properties properties = new Properties();
            try (InputStream in = Files.newInputStream(Path.of(file))) {
                properties.load(in);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read GRANARY_CONFIG_FILE " + file + ": " + e.getMessage(), e);
            }
            properties.stringPropertyNames().forEach(k -> merged.put(k, properties.getProperty(k)));
        }
        merged.putAll(environment);
        return new Settings(merged);
    }

    public String get(String name) {
        String value = values.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    public String get(String name, String fallback) {
        String value = get(name);
        return value == null ? fallback : value;
    }

    public int integer(String name, int fallback, int min, int max) {
        String value = get(name);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max) {
                throw new IllegalStateException(name + " must be between " + min + " and " + max + ", was " + parsed);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalStateException(name + " must be a whole number, was '" + value + "'");
        }
    }

    public boolean flag(String name) {
        return flag(name, false);
    }

    public boolean flag(String name, boolean fallback) {
        String value = get(name);
        if (value == null) {
            return fallback;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new IllegalStateException(name + " must be true or false, was '" + value + "'");
        };
    }

    /** A duration as {@code 90s}, {@code 5m}, {@code 24h}, {@code 30d}, {@code 250ms} or ISO-8601 ({@code PT5M}). */
    public Duration duration(String name, Duration fallback) {
        String value = get(name);
        if (value == null) {
            return fallback;
        }
        String v = value.toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("p")) {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long amount = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> throw new NumberFormatException();
            };
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new IllegalStateException(name + " must be a duration like 30s, 5m, 24h, 30d or PT5M, was '" + value + "'");
        }
    }

    /** A comma-separated list of durations, each as {@link #duration} accepts ({@code 1m,30m,60m,240m}); empty for none. */
    public java.util.List<Duration> durations(String name, java.util.List<Duration> fallback) {
        String value = get(name);
        if (value == null) {
            return fallback;
        }
        java.util.List<Duration> parsed = new java.util.ArrayList<>();
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                // Parsed through a one-entry lookup so each element gets duration()'s format and error message.
                parsed.add(new Settings(Map.of(name, part.trim())).duration(name, null));
            }
        }
        return parsed;
    }

    public Function<String, String> asLookup() {
        return this::get;
    }
}
