/** John Deere Operations Center: OAuth 2.0 at signin.johndeere.com (Okta). */
module io.granary.provider.johndeere {
    requires io.granary.spi;

    provides io.granary.spi.ProviderAdapter with io.granary.provider.johndeere.JohnDeereProvider;
}
