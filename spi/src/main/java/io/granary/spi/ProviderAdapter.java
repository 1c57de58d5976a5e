package io.granary.spi;

/**
 * A data provider Granary can hold credentials for. Implementations are found with {@link java.util.ServiceLoader}:
 * declare them with {@code provides} in {@code module-info.java} and in {@code META-INF/services}.
 *
 * <p>New capabilities arrive as {@code default} methods so that existing providers keep compiling.
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
}
