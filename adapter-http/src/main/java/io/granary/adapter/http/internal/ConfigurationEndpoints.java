package io.granary.adapter.http.internal;

import io.granary.core.domain.ApiOwner;
import io.granary.core.port.in.AuthenticateOwnerUseCase;
import io.granary.core.port.in.ConfigurationChanges;
import io.granary.core.port.in.ManageConfigurationsUseCase;
import io.undertow.server.HttpServerExchange;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Leaf's configuration service, {@code /services/config/api/configs[/{leafUserId}]}
 * (https://docs.withleaf.io/api-reference/configurations). Answers carry Leaf's {@code apiOwnerUsername} (the owner's
 * login) and {@code leafUserId} ({@code ""} for the owner's). There is no {@code DELETE /configs}: owner defaults
 * cannot be deleted, so it answers 405.
 */
final class ConfigurationEndpoints {

    static final String CONFIGS = "/services/config/api/configs";

    private final ManageConfigurationsUseCase configurations;
    private final AuthenticateOwnerUseCase owners;
    private final Json json;

    ConfigurationEndpoints(ManageConfigurationsUseCase configurations, AuthenticateOwnerUseCase owners, Json json) {
        this.configurations = configurations;
        this.owners = owners;
        this.json = json;
    }

    void register(Router router, Authentication auth) {
        router.add("GET", CONFIGS, auth.owned((ex, owner) -> answer(ex, 200, owner, null, configurations.ownerConfiguration(owner))))
                .add("PATCH", CONFIGS, auth.owned((ex, owner) ->
                        answer(ex, 200, owner, null, configurations.patchOwner(owner,
                                ConfigurationChanges.fromJson(json.readObject(ex))))))
                .add("GET", CONFIGS + "/{userId}", auth.owned((ex, owner) ->
                        answer(ex, 200, owner, user(ex), configurations.userConfiguration(owner, user(ex)))))
                .add("POST", CONFIGS + "/{userId}", auth.owned(this::create))
                .add("PATCH", CONFIGS + "/{userId}", auth.owned(this::patch))
                .add("DELETE", CONFIGS + "/{userId}", auth.owned((ex, owner) -> {
                    configurations.deleteUser(owner, user(ex));
                    ex.setStatusCode(204);
                    ex.endExchange();
                }));
    }

    private void create(HttpServerExchange exchange, UUID owner) {
        UUID user = user(exchange);
        Map<String, Object> body = json.readObject(exchange);
        answer(exchange, 201, owner, user, configurations.createUser(owner, user, ConfigurationChanges.fromJson(body)));
    }

    /** A PATCH that removed every override leaves no configuration: 204, and GET answers 404 from then on. */
    private void patch(HttpServerExchange exchange, UUID owner) {
        UUID user = user(exchange);
        Map<String, Object> body = json.readObject(exchange);
        Map<String, Object> after = configurations.patchUser(owner, user, ConfigurationChanges.fromJson(body));
        if (after.isEmpty()) {
            exchange.setStatusCode(204);
            exchange.endExchange();
            return;
        }
        answer(exchange, 200, owner, user, after);
    }

    private void answer(HttpServerExchange exchange, int status, UUID owner, UUID user, Map<String, Object> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("apiOwnerUsername", owners.activeOwner(owner).map(ApiOwner::email).orElse(null));
        out.put("leafUserId", user == null ? "" : user.toString());
        out.putAll(values);
        json.send(exchange, status, out);
    }

    private static UUID user(HttpServerExchange exchange) {
        return Ids.parse("leafUserId", Router.param(exchange, "userId"));
    }
}
