package io.granary.adapter.http.internal;

import io.granary.core.port.in.OAuthClientCommand;
import io.granary.core.port.in.OAuthHelperUseCase;
import io.granary.spi.CodeExchangeException;
import io.granary.spi.ProviderUnreachableException;
import io.granary.spi.RefreshResult;
import io.undertow.server.HttpServerExchange;
import java.util.Map;
import java.util.UUID;

/**
 * Leaf's OAuth helper, one pair per provider: {@code POST /services/oauth/api/{provider}/get_url} and
 * {@code .../get_token}, where {@code provider} is the credential suffix without {@code -credentials}
 * ({@code trimble}, {@code john-deere}, {@code cnhi}). Authenticated like the rest of the API.
 */
final class OAuthHelperEndpoints {

    static final String BASE = "/services/oauth/api/{provider}";

    private final OAuthHelperUseCase helper;
    private final Json json;

    OAuthHelperEndpoints(OAuthHelperUseCase helper, Json json) {
        this.helper = helper;
        this.json = json;
    }

    void register(Router router, Authentication auth) {
        router.add("POST", BASE + "/get_url", auth.owned(this::url))
                .add("POST", BASE + "/get_token", auth.owned(this::token))
                .add("GET", "/services/oauth/api/providers", auth.owned((exchange, owner) ->
                        json.send(exchange, 200, helper.providers())));
    }

    private void url(HttpServerExchange exchange, UUID owner) {
        String provider = Router.param(exchange, "provider");
        json.send(exchange, 200, Map.of("url", helper.authorizationUrl(provider,
                OAuthClientCommand.authorizationUrl(json.readObject(exchange)))));
    }

    private void token(HttpServerExchange exchange, UUID owner) {
        String provider = Router.param(exchange, "provider");
        try {
            json.send(exchange, 200, helper.exchangeCode(provider, OAuthClientCommand.exchangeCode(json.readObject(exchange))));
        } catch (CodeExchangeException e) {
            // The provider's verdict, classified; its body (which may echo the code) is never passed on.
            int status = e.result() instanceof RefreshResult.Unavailable ? 502 : 400;
            throw new Problem(status, e.getMessage(), null);
        } catch (ProviderUnreachableException e) {
            throw new Problem(502, "the provider could not be reached", null);
        }
    }
}
