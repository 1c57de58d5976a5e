package io.granary.core.port.in;

import java.util.List;

/**
 * The grower's side of a magic link, driven by a browser that holds the link's secret ({@code token}) and, during
 * a consent, a nonce in an HttpOnly cookie.
 */
public interface ConnectProvidersUseCase {

    /** Opens the link page. @throws LinkUnavailableException if the link is unknown, deleted, expired or used up */
    LinkPage open(String token);

    /** Same data without counting a use (re-rendering after connect/disconnect). */
    LinkPage view(String token);

    /**
     * Starts a consent: a single-use state bound to {@code browserNonce}, and the provider's authorization URL.
     *
     * @throws LinkUnavailableException; InvalidInputException if the provider is not allowed or has no app key
     */
    String connect(String token, String providerId, String browserNonce);

    /** Finishes a consent; never throws for the grower's mistakes: the outcome says what went wrong. */
    Outcome callback(String state, String browserNonce, String code, String providerError);

    /** @throws LinkUnavailableException; InvalidInputException if disconnecting is not enabled */
    void disconnect(String token, String providerId);

    record LinkPage(String token, String companyName, String companyLogo, String headerImage, String backgroundColor,
                    String leafUserName, boolean disconnectEnabled, List<Choice> providers) {
        public LinkPage {
            providers = List.copyOf(providers);
        }
    }

    /** @param status the credential's status (VALID, PROCESSING, INVALID...), or null when not connected */
    record Choice(String providerId, String displayName, String status, boolean ready) {
    }

    /** @param token the link's secret for a "back" button, or null when the link itself is gone */
    record Outcome(boolean success, String providerName, String message, String token) {
    }

    /** The link cannot be used any more; the browser shows a friendly expiry page. */
    final class LinkUnavailableException extends RuntimeException {
        public LinkUnavailableException(String message) {
            super(message, null, false, false);
        }
    }
}
