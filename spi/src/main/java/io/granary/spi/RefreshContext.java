package io.granary.spi;

import java.util.List;

/** What the host hands a provider for one refresh of one credential. */
public interface RefreshContext extends CredentialContext {

    /** Outbound HTTP; every call through it is recorded as a credential event with secrets redacted. */
    @Override
    ProviderHttp http();

    /**
     * Persists renewed secrets at once, in one transaction. Returns only when they are durable.
     *
     * @throws LostClaimException if another refresh of this credential took over; stop at once
     */
    void saveTokens(TokenUpdate update);

    /**
     * Tells the host which organizations the grant sees, read during this refresh (all pages). The host keeps the
     * latest list with the credential, for the organization routes. Providers without organizations never call it.
     */
    default void organizationsSeen(List<ProviderOrganization> organizations) {
    }
}
