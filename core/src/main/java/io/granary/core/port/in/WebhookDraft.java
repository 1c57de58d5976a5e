package io.granary.core.port.in;

import io.granary.core.domain.AlertEvent;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A webhook to register, validated on construction. Messages name fields, never values: the secret must not
 * reach a problem answer, and a URL may carry tokens in its query.
 */
public record WebhookDraft(String name, URI url, String secret, Set<AlertEvent> events) {

    public static final String EVENT_REGISTERED_TWICE = "eventRegisteredTwice";
    public static final int MAX_NAME = 100;
    public static final int MAX_URL = 2048;
    // Lower bound: an HMAC key short enough to guess makes the signature worthless. Upper: a sane cap.
    public static final int MIN_SECRET = 8;
    public static final int MAX_SECRET = 256;

    private static final Set<String> FIELDS = Set.of("name", "url", "secret", "events");

    public WebhookDraft {
        if (name == null || name.isBlank()) {
            throw new InvalidInputException("name", "'name' is required");
        }
        if (name.length() > MAX_NAME || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new InvalidInputException("name", "'name' must be at most " + MAX_NAME + " printable characters");
        }
        if (url == null) {
            throw new InvalidInputException("url", "'url' is required");
        }
        if (secret == null || secret.length() < MIN_SECRET || secret.length() > MAX_SECRET) {
            throw new InvalidInputException("secret", "'secret' must be " + MIN_SECRET + " to " + MAX_SECRET + " characters");
        }
        if (events == null || events.isEmpty()) {
            throw new InvalidInputException("events", "'events' must list at least one event");
        }
        events = Set.copyOf(events);
    }

    @Override
    public String toString() {
        return "WebhookDraft[name=" + name + ", events=" + events + "]";
    }

    public static WebhookDraft fromJson(Map<String, Object> body) {
        for (String key : body.keySet()) {
            if (!FIELDS.contains(key)) {
                throw new InvalidInputException(key, "unknown field '" + key + "'");
            }
        }
        return new WebhookDraft(UserDraft.text(body, "name"), parseUrl(UserDraft.text(body, "url")),
                UserDraft.text(body, "secret"), parseEvents(body.get("events")));
    }

    /** Absolute http(s) with a host, without user info: credentials belong in the signing secret, not the URL. */
    public static URI parseUrl(String text) {
        if (text == null) {
            return null;
        }
        String invalid = "'url' must be an absolute http or https URL without credentials, at most " + MAX_URL + " characters";
        if (text.length() > MAX_URL) {
            throw new InvalidInputException("url", invalid);
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new InvalidInputException("url", invalid);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.isOpaque() || !(scheme.equals("http") || scheme.equals("https"))
                || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawAuthority().contains("@")) {
            throw new InvalidInputException("url", invalid);
        }
        return uri;
    }

    private static Set<AlertEvent> parseEvents(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof List<?> list)) {
            throw new InvalidInputException("events", "'events' must be an array of event names");
        }
        Set<AlertEvent> events = EnumSet.noneOf(AlertEvent.class);
        for (Object item : list) {
            AlertEvent event = item instanceof String s ? AlertEvent.fromWireName(s).orElse(null) : null;
            if (event == null) {
                throw new InvalidInputException("events", "'events' holds a name that is none of Leaf's alert events"
                        + " (docs/alerts.md lists them, and which Granary sends)");
            }
            events.add(event);
        }
        return events;
    }
}
