package io.granary.spi;

import java.time.Instant;
import java.util.Optional;

/** What the host hands a provider for any call about one credential: its fields, endpoints, HTTP and clock. */
public interface CredentialContext {

    Environment environment();

    /** A stored field value (input or generated), if present and not blank. */
    Optional<String> field(String name);

    /** A field the descriptor marks as required; its absence is the host's bug, not the grower's. */
    default String requiredField(String name) {
        return field(name).orElseThrow(() -> new IllegalStateException("credential has no value for '" + name + "'"));
    }

    /** The endpoint URL for this credential's environment, after configuration overrides. */
    String endpoint(EndpointKind kind);

    /** Outbound HTTP. */
    ProviderHttp http();

    Instant now();
}
