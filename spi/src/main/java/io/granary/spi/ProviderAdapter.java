package io.granary.spi;

import java.util.Optional;

/**
 * A data provider Granary can hold credentials for. Implementations are found with {@link java.util.ServiceLoader}:
 * declare them with {@code provides} in {@code module-info.java} and in {@code META-INF/services}.
 *
 * <p>New capabilities arrive as {@code default} methods so that existing providers keep compiling; the host asks
 * for a capability ({@link #authorizationCodeGrant()}) instead of testing a provider's class.
 */
public interface ProviderAdapter {

    /** What the provider is and which fields its credential has. Called once, at start-up. */
    ProviderDescriptor descriptor();

    /**
     * Proves the credential works and renews what it holds: exchanges a refresh token, logs in again for a
     * session, or checks an access key. Renewed secrets go to {@link RefreshContext#saveTokens} the moment the
     * provider hands them out, before any further call.
     *
     * <p>Transport failures may be thrown as {@link ProviderUnreachableException} and unparseable answers as
     * {@link MalformedAnswerException}; the host treats both, and any other runtime exception, as temporary.
     */
    RefreshResult refresh(RefreshContext context);

    /**
     * A setting that must be true for the host to load this provider, or null to load it always. Lets a jar ship a
     * provider that stays off unless asked for (the simulated Sandbox provider: {@code GRANARY_SANDBOX}).
     */
    default String enablingSetting() {
        return null;
    }

    /**
     * The authorization-code grant, if growers can connect this provider through a consent page (magic links, the
     * OAuth helper). Default: none. {@link OAuth2Provider} offers it when the descriptor declares an AUTHORIZE_URL.
     */
    default Optional<AuthorizationCodeGrant> authorizationCodeGrant() {
        return Optional.empty();
    }

    /**
     * Revokes the grant of a credential the host has just deleted or replaced, where the provider offers that, so
     * the grower's account no longer lists a connection nobody uses. Called after the delete is stored, off the
     * request thread; a failure never undoes the delete, the host only logs it.
     *
     * @return true if the provider confirmed the revocation (RFC 7009 answers 200 for an unknown token too),
     *         false if it offers none for this credential
     * @throws RevocationFailedException if the provider refused or failed; {@link ProviderUnreachableException} if
     *         it could not be reached
     */
    default boolean revoke(RevokeContext context) {
        return false;
    }
}
