/** The provider SPI: all a provider plugin sees of Granary. Depends on the JDK only. */
module io.granary.spi {
    requires transitive java.net.http;

    exports io.granary.spi;
}
