package io.granary.spi;

/**
 * The authorization-code grant (RFC 6749 section 4.1), for the host's consent flows: magic links and the OAuth
 * helper send a grower to {@link #authorizationUrl} and trade the code that comes back with {@link #exchangeCode}.
 * A provider offers it through {@link ProviderAdapter#authorizationCodeGrant()}; {@link OAuth2Provider} does.
 *
 * <p>The host fills the client id from the field the descriptor marks with {@link CredentialField#asClientId()}.
 */
public interface AuthorizationCodeGrant {

    /** The provider's consent URL for one grower: {@code response_type=code}, client, redirect, scope, state, PKCE. */
    String authorizationUrl(AuthorizationRequest request);

    /**
     * Exchanges an authorization code for tokens (RFC 6749 section 4.1.3). The context serves the app key's fields
     * under this provider's field names; nothing is saved.
     *
     * @param codeVerifier the PKCE verifier, or null if no challenge was sent
     * @throws CodeExchangeException if the token endpoint refuses
     */
    TokenUpdate exchangeCode(RefreshContext context, String code, String redirectUri, String codeVerifier);
}
