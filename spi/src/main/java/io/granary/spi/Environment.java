package io.granary.spi;

/** The provider environment a credential belongs to, as Leaf's {@code clientEnvironment}. */
public enum Environment {
    STAGE,
    PRODUCTION
}
