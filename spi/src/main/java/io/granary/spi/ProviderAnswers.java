package io.granary.spi;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Turns provider answers into refresh results, so every provider draws the same line between
 * "the provider said no" (INVALID), "works but lacks access" (MISSING_PERMISSION) and "try later".
 */
public final class ProviderAnswers {

    /** OAuth error codes (RFC 6749 section 5.2) that no retry can fix: the grower or the app must act. */
    private static final Set<String> REFUSALS =
            Set.of("invalid_grant", "invalid_client", "unauthorized_client", "unsupported_grant_type", "invalid_request");

    private ProviderAnswers() {
    }

    /** Classifies a failed answer from a token endpoint, deciding on the OAuth {@code error} field first. */
    public static RefreshResult tokenFailure(ProviderResponse response, Instant now) {
        String error = oauthError(response);
        if (error != null) {
            if (REFUSALS.contains(error)) {
                return new RefreshResult.Invalid("provider refused the credential: " + error);
            }
            if (error.equals("invalid_scope") || error.equals("access_denied")) {
                return new RefreshResult.MissingPermission("provider refused the requested access: " + error);
            }
            if (error.equals("temporarily_unavailable") || error.equals("server_error")) {
                return unavailable(response, now);
            }
        }
        if (response.status() == 401) {
            return new RefreshResult.Invalid("provider refused the credential (HTTP 401)");
        }
        return apiFailure(response, now);
    }

    /** The answer to a "does it work" call: success means valid, anything else is classified by {@link #apiFailure}. */
    public static RefreshResult accessCheck(ProviderResponse answer, Instant now) {
        return answer.isSuccess() ? RefreshResult.valid() : apiFailure(answer, now);
    }

    /** Classifies a failed answer from an ordinary API call made with a credential. */
    public static RefreshResult apiFailure(ProviderResponse response, Instant now) {
        return switch (response.status()) {
            case 401 -> new RefreshResult.Invalid("provider rejected the credential (HTTP 401)");
            case 403 -> new RefreshResult.MissingPermission("provider denied access (HTTP 403): scope or organization access is missing");
            default -> unavailable(response, now);
        };
    }

    /** Anything else: 429, 5xx, 404 from a misconfigured URL, or an answer we cannot read. */
    public static RefreshResult.Unavailable unavailable(ProviderResponse response, Instant now) {
        String reason = response.status() == 429 ? "provider is rate limiting" : "provider answered HTTP " + response.status();
        return new RefreshResult.Unavailable(reason, response.retryAfter(now).orElse(null));
    }

    /**
     * Whether an answer is one this classification knows: success, 401, 403, 429, 5xx, or a 4xx carrying an OAuth
     * {@code error}. Anything else (404, 405, a redirect, a bare 400) usually means a wrong URL, not a provider
     * decision; {@link UnverifiedDefaultsWarning} uses this to tell operators of guessed defaults.
     */
    public static boolean recognised(ProviderResponse response) {
        int status = response.status();
        return response.isSuccess() || status == 401 || status == 403 || status == 429 || status >= 500
                || oauthError(response) != null;
    }

    private static String oauthError(ProviderResponse response) {
        if (response.status() < 400 || response.status() >= 500) {
            return null;
        }
        try {
            Object parsed = Json.parse(response.body());
            return parsed instanceof Map<?, ?> map && map.get("error") instanceof String code ? code : null;
        } catch (MalformedAnswerException notJson) {
            return null;
        }
    }
}
