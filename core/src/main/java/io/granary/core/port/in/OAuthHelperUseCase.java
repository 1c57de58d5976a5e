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
     * @param command the app's client id and redirect URL, and the environment
     * @return the provider's authorization URL
     * @throws NotFoundException for an unknown slug; InvalidInputException for a bad body
     */
    String authorizationUrl(String slug, OAuthClientCommand command);

    /**
     * @param command the app's client, the code ({@link OAuthClientCommand#exchangeCode}) and provider extras
     * @return {@code accessToken} and {@code refreshToken} (the latter absent if the provider gave none)
     * @throws InvalidInputException without a code; io.granary.spi.CodeExchangeException if the provider refuses the code
     */
    Map<String, String> exchangeCode(String slug, OAuthClientCommand command);
}
