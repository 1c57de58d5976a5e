package io.granary.spi;

/** Outbound HTTP for providers, supplied by the host (timeouts, event recording, redaction). */
public interface ProviderHttp {

    /**
     * Sends a request and returns whatever status the provider answered with.
     *
     * @throws ProviderUnreachableException on connection failure or timeout
     */
    ProviderResponse send(ProviderRequest request);
}
