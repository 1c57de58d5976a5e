/** Granary's domain, ports, use cases and its embeddable entry point. Depends on the JDK and the provider SPI only. */
module io.granary.core {
    requires transitive io.granary.spi;

    exports io.granary.core;
    exports io.granary.core.domain;
    exports io.granary.core.port.in;
    exports io.granary.core.port.out;
    exports io.granary.core.service;
    exports io.granary.core.crypto;

    uses io.granary.spi.ProviderAdapter;
}
