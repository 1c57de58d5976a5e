package io.granary.spi;

/** The provider URLs Granary calls; each is overridable by {@code GRANARY_PROVIDER_<P>_<ENV>_<KIND>}. */
public enum EndpointKind {
    TOKEN_URL,
    AUTHORIZE_URL,
    API_URL,
    /** RFC 7009 token revocation; a provider without one declares none and is not asked to revoke. */
    REVOKE_URL
}
