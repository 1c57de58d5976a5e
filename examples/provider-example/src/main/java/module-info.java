/** A Granary provider plugin: sees the SPI only, found by ServiceLoader. */
module com.example.acme {
    requires io.granary.spi;

    provides io.granary.spi.ProviderAdapter with com.example.acme.AcmeProvider;
}
