package io.granary.spi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What the host hands a provider for one refresh of one credential. */
public interface RefreshContext {

    Environment environment();

    /** A stored field value (input or generated), if present and not blank. */
    Optional<String> field(String name);

    /** A field the descriptor marks as required; its absence is the host's bug, not the grower's. */
    default String requiredField(String name) {
        return field(name).orElseThrow(() -> new IllegalStateException("credential has no value for '" + name + "'"));
    }

    /** The endpoint URL for this credential's environment, after configuration overrides. */
    String endpoint(EndpointKind kind);

    /** Outbound HTTP; every call through it is recorded as a credential event with secrets redacted. */
    ProviderHttp http();

    Instant now();

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
