package io.granary.spi;

/**
 * The token endpoint refused an authorization code (expired, used, wrong redirect URI, bad client).
 * The message is a classification such as "provider refused the credential: invalid_grant", never a secret.
 */
public final class CodeExchangeException extends RuntimeException {

    private final transient RefreshResult result;

    public CodeExchangeException(RefreshResult result) {
        super(result.message(), null, false, false);
        this.result = result;
    }

    /** How the refusal classifies: Invalid (the code or client), MissingPermission (scope), or Unavailable. */
    public RefreshResult result() {
        return result;
    }
}
