package io.granary.core.service;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The secrets both sides of a magic link derive from one key. A link's secret is {@code <id>.<HMAC(key, id)>}:
 * nothing secret is stored, and deleting the row kills the link. A consent's PKCE verifier is an HMAC of its
 * state, so it is never stored either.
 */
public final class MagicLinkKeys {

    public static final String CALLBACK_PATH = "/services/widgets/callback";
    public static final String LINK_PATH = "/services/widgets/magic-link";

    private static final Pattern TOKEN = Pattern.compile(
            "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\\.([A-Za-z0-9_-]{43})");

    private final byte[] key;
    private final String publicUrl;

    /**
     * @param key       at least 32 random bytes, stable across restarts (links die with it)
     * @param publicUrl how browsers reach Granary: links and the redirect URI use it
     */
    public MagicLinkKeys(byte[] key, String publicUrl) {
        if (key.length < 32) {
            throw new IllegalArgumentException("the magic link key must be at least 32 bytes");
        }
        this.key = key.clone();
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    /** The exact redirect URI to register with each provider app. */
    public String redirectUri() {
        return publicUrl + CALLBACK_PATH;
    }

    /** The URL the grower opens. */
    String linkUrl(UUID linkId) {
        return publicUrl + LINK_PATH + "?t=" + token(linkId);
    }

    String token(UUID linkId) {
        return linkId + "." + Secrets.hmac(key, "magic-link:" + linkId);
    }

    /** The id inside a well-formed token whose MAC checks out; constant-time comparison. */
    Optional<UUID> idOf(String token) {
        if (token == null) {
            return Optional.empty();
        }
        var matcher = TOKEN.matcher(token);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        UUID id = UUID.fromString(matcher.group(1));
        return Secrets.sameText(token(id), token) ? Optional.of(id) : Optional.empty();
    }

    String verifier(String state) {
        return Secrets.hmac(key, "pkce:" + state);
    }
}
