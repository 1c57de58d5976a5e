/** Trimble Agriculture: OAuth 2.0 at id.trimble.com. */
module io.granary.provider.trimble {
    requires io.granary.core;

    provides io.granary.core.spi.ProviderAdapter with io.granary.provider.trimble.TrimbleProvider;
}
