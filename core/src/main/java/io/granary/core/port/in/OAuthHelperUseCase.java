package io.granary.core.port.in;

import java.util.List;
import java.util.Map;

/**
 * Leaf's per-provider OAuth helper (seed 000): build a consent URL from an app's client id and redirect URI, and
 * exchange the code the provider sends back for tokens. Providers are addressed by slug ({@code john-deere}).
 */
public interface OAuthHelperUseCase {

    /** Slugs of the loaded OAuth providers that declare an authorization URL. */
    List<String> providers();

    /**
     * @param body {@code client_id}, {@code client_secret}, {@code client_redirect_url}, optional {@code clientEnvironment}
     * @return the provider's authorization URL
     * @throws NotFoundException for an unknown slug; InvalidInputException for a bad body
     */
    String authorizationUrl(String slug, Map<String, Object> body);

    /**
     * @param body {@code client_id}, {@code client_secret}, {@code code}, {@code client_redirect_url}, optional
     *             {@code clientEnvironment} and provider extras under their credential names (Climate's {@code apiKey})
     * @return {@code accessToken} and {@code refreshToken} (the latter absent if the provider gave none)
     * @throws io.granary.spi.CodeExchangeException if the provider refuses the code
     */
    Map<String, String> exchangeCode(String slug, Map<String, Object> body);
}
