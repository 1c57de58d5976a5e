/** Granary's domain, ports, use cases and the provider SPI. Depends on the JDK only. */
module io.granary.core {
    requires transitive java.net.http;

    exports io.granary.core.spi;
    exports io.granary.core.domain;
    exports io.granary.core.port.in;
    exports io.granary.core.port.out;
    exports io.granary.core.service;
    exports io.granary.core.crypto;

    uses io.granary.core.spi.ProviderAdapter;
}
