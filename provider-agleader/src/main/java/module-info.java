/** AgLeader AgFiniti: OAuth 2.0 at www.agfiniti.com. */
module io.granary.provider.agleader {
    requires io.granary.core;

    provides io.granary.core.spi.ProviderAdapter with io.granary.provider.agleader.AgLeaderProvider;
}
