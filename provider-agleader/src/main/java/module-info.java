/** AgLeader AgFiniti: OAuth 2.0 at www.agfiniti.com. */
module io.granary.provider.agleader {
    requires io.granary.spi;

    provides io.granary.spi.ProviderAdapter with io.granary.provider.agleader.AgLeaderProvider;
}
