/** Trimble Agriculture: OAuth 2.0 at id.trimble.com. */
module io.granary.provider.trimble {
    requires io.granary.spi;

    provides io.granary.spi.ProviderAdapter with io.granary.provider.trimble.TrimbleProvider;
}
