package io.granary.adapter.http.internal;

import io.granary.core.domain.AppKey;
import io.granary.core.port.in.AppKeyCommand;
import io.granary.core.port.in.ManageAppKeysUseCase;
import io.undertow.server.HttpServerExchange;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Leaf's app keys: {@code /services/usermanagement/api/app-keys/{provider}/{appName}[/{clientEnvironment}]}.
 * Answers never carry the app's fields: only which app exists, for which provider and environment, since when.
 */
final class AppKeyEndpoints {

    static final String BASE = "/services/usermanagement/api/app-keys";

    private final ManageAppKeysUseCase keys;
    private final Json json;

    AppKeyEndpoints(ManageAppKeysUseCase keys, Json json) {
        this.keys = keys;
        this.json = json;
    }

    void register(Router router, Authentication auth) {
        router.add("GET", BASE, auth.owned((exchange, owner) -> list(exchange, owner, null)))
                .add("GET", BASE + "/{provider}", auth.owned((exchange, owner) -> list(exchange, owner, Router.param(exchange, "provider"))));
        for (String one : new String[] {BASE + "/{provider}/{appName}", BASE + "/{provider}/{appName}/{environment}"}) {
            router.add("GET", one, auth.owned(this::get))
                    .add("POST", one, auth.owned(this::create))
                    .add("PUT", one, auth.owned(this::replace))
                    .add("DELETE", one, auth.owned(this::delete));
        }
    }

    private void list(HttpServerExchange exchange, UUID owner, String provider) {
        json.send(exchange, 200, keys.list(owner, provider).stream().map(AppKeyEndpoints::view).toList());
    }

    private void get(HttpServerExchange exchange, UUID owner) {
        json.send(exchange, 200, view(keys.get(owner, p(exchange, "provider"), p(exchange, "appName"), env(exchange))));
    }

    private void create(HttpServerExchange exchange, UUID owner) {
        Map<String, Object> body = json.readObject(exchange);
        json.send(exchange, 201, view(keys.create(owner, p(exchange, "provider"), p(exchange, "appName"), env(exchange),
                AppKeyCommand.fromJson(body))));
    }

    private void replace(HttpServerExchange exchange, UUID owner) {
        Map<String, Object> body = json.readObject(exchange);
        json.send(exchange, 200, view(keys.replace(owner, p(exchange, "provider"), p(exchange, "appName"), env(exchange),
                AppKeyCommand.fromJson(body))));
    }

    private void delete(HttpServerExchange exchange, UUID owner) {
        keys.delete(owner, p(exchange, "provider"), p(exchange, "appName"), env(exchange));
        exchange.setStatusCode(204);
        exchange.endExchange();
    }

    private static String p(HttpServerExchange exchange, String name) {
        return Router.param(exchange, name);
    }

    private static String env(HttpServerExchange exchange) {
        return Router.param(exchange, "environment");
    }

    static Map<String, Object> view(AppKey key) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("provider", key.providerId());
        view.put("appName", key.appName());
        view.put("clientEnvironment", key.environment().name());
        view.put("createdTime", CredentialJson.time(key.createdAt()));
        return view;
    }
}
