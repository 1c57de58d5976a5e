package io.granary.core.port.in;

import io.granary.core.domain.MagicLink;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What an owner asks for when creating a magic link, checked on construction. Provider names are only checked
 * for shape here: whether each names a provider a grower can connect is the service's to say.
 *
 * @param expiresIn        seconds the link lives
 * @param allowedProviders provider names as sent (case-insensitive), or null for every consent provider
 * @param maxUsage         how many times the page may be opened, or null for no limit
 */
public record MagicLinkCommand(long expiresIn, List<String> allowedProviders, MagicLink.Settings settings, Integer maxUsage) {

    public static final long MIN_EXPIRES_IN = 900;
    public static final long MAX_EXPIRES_IN = 366L * 24 * 3600;

    private static final Pattern COLOR = Pattern.compile("#[0-9A-Fa-f]{3}|#[0-9A-Fa-f]{6}|[a-zA-Z]{3,20}");
    private static final List<String> SETTINGS = List.of("backgroundColor", "headerImage", "companyLogo", "companyName",
            "showLeafUserName", "disconnectEnabled");

    public MagicLinkCommand {
        if (expiresIn < MIN_EXPIRES_IN || expiresIn > MAX_EXPIRES_IN) {
            throw new InvalidInputException("expiresIn", "'expiresIn' must be between " + MIN_EXPIRES_IN + " and " + MAX_EXPIRES_IN + " seconds");
        }
        if (allowedProviders != null) {
            if (allowedProviders.isEmpty() || allowedProviders.size() > 50) {
                throw new InvalidInputException("allowedProviders", "'allowedProviders' must be a non-empty list of provider names");
            }
            allowedProviders = List.copyOf(allowedProviders);
        }
        Objects.requireNonNull(settings, "settings");
        if (settings.backgroundColor() != null && !COLOR.matcher(settings.backgroundColor()).matches()) {
            throw new InvalidInputException("settings.backgroundColor", "'backgroundColor' must be a color like #1f6f43 or a color name");
        }
        if (settings.companyName() != null && settings.companyName().length() > 100) {
            throw new InvalidInputException("settings.companyName", "'companyName' is longer than 100 characters");
        }
        checkImageUrl("headerImage", settings.headerImage());
        checkImageUrl("companyLogo", settings.companyLogo());
        if (maxUsage != null && maxUsage < 1) {
            throw new InvalidInputException("maxUsage", "'maxUsage' must be a positive whole number");
        }
    }

    /** The defaults: the shortest life, every consent provider, plain settings, no use limit. */
    public static MagicLinkCommand defaults() {
        return new MagicLinkCommand(MIN_EXPIRES_IN, null, new MagicLink.Settings(null, null, null, null, false, false), null);
    }

    /** From a parsed JSON body (Leaf's member names); absent members take the defaults. */
    public static MagicLinkCommand fromJson(Map<String, Object> body) {
        return new MagicLinkCommand(expiresIn(body.get("expiresIn")), allowedProviders(body.get("allowedProviders")),
                settings(body.get("settings")), maxUsage(body.get("maxUsage")));
    }

    private static long expiresIn(Object value) {
        if (value == null) {
            return MIN_EXPIRES_IN;
        }
        if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new InvalidInputException("expiresIn", "'expiresIn' must be a whole number of seconds");
        }
        return n.longValue();
    }

    private static List<String> allowedProviders(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof List<?> list)) {
            throw new InvalidInputException("allowedProviders", "'allowedProviders' must be a non-empty list of provider names");
        }
        List<String> names = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof String name)) {
                throw new InvalidInputException("allowedProviders", "'allowedProviders' must hold provider names");
            }
            names.add(name);
        }
        return names;
    }

    private static Integer maxUsage(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Integer n)) {
            throw new InvalidInputException("maxUsage", "'maxUsage' must be a positive whole number");
        }
        return n;
    }

    private static MagicLink.Settings settings(Object value) {
        if (value == null) {
            return defaults().settings();
        }
        if (!(value instanceof Map<?, ?> raw)) {
            throw new InvalidInputException("settings", "'settings' must be an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) raw;
        for (String name : map.keySet()) {
            if (!SETTINGS.contains(name)) {
                throw new InvalidInputException("settings", "unknown setting '" + JsonMembers.printable(name) + "'");
            }
        }
        return new MagicLink.Settings(JsonMembers.text(map, "backgroundColor", false), JsonMembers.text(map, "headerImage", false),
                JsonMembers.text(map, "companyLogo", false), JsonMembers.text(map, "companyName", false),
                flag(map, "showLeafUserName"), flag(map, "disconnectEnabled"));
    }

    /** Only absolute http(s) URLs: no javascript:, data: or relative tricks reach the page. */
    private static void checkImageUrl(String name, String value) {
        if (value == null) {
            return;
        }
        try {
            URI uri = new URI(value);
            if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null
                    && value.length() <= 1024) {
                return;
            }
        } catch (java.net.URISyntaxException e) {
            // fall through
        }
        throw new InvalidInputException("settings." + name, "'" + name + "' must be an absolute http(s) image URL");
    }

    private static boolean flag(Map<String, Object> map, String name) {
        Object value = map.get(name);
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        throw new InvalidInputException("settings." + name, "'" + name + "' must be true or false");
    }
}
