package io.granary.adapter.http.internal;

import io.granary.core.domain.LeafUser;
import io.granary.core.domain.Page;
import io.granary.core.domain.PageRequest;
import io.granary.core.domain.UserFilter;
import io.granary.core.port.in.ManageUsersUseCase;
import io.granary.core.port.in.UserDraft;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Leaf users: {@code /services/usermanagement/api/users}. */
final class UserEndpoints {

    static final String USERS = "/services/usermanagement/api/users";

    private final ManageUsersUseCase users;
    private final Json json;

    UserEndpoints(ManageUsersUseCase users, Json json) {
        this.users = users;
        this.json = json;
    }

    void register(Router router, Authentication auth) {
        router.add("GET", USERS, auth.owned(this::list))
                .add("POST", USERS, auth.owned(this::create))
                .add("PUT", USERS, auth.owned((ex, owner) -> replace(ex, owner, null)))
                .add("GET", USERS + "/{userId}", auth.owned(this::get))
                .add("PUT", USERS + "/{userId}", auth.owned((ex, owner) -> replace(ex, owner, pathId(ex))))
                .add("PATCH", USERS + "/{userId}", auth.owned(this::patch))
                .add("DELETE", USERS + "/{userId}", auth.owned(this::delete));
    }

    private void list(HttpServerExchange exchange, UUID owner) {
        PageRequest request = Paging.parse(exchange);
        UserFilter filter = new UserFilter(Paging.query(exchange, "email"), Paging.query(exchange, "name"),
                Paging.query(exchange, "externalId"));
        Page<LeafUser> page = users.list(owner, filter, request);
        Paging.headers(exchange, request, page);
        json.send(exchange, 200, page.items().stream().map(UserEndpoints::toJson).toList());
    }

    private void create(HttpServerExchange exchange, UUID owner) {
        UserDraft draft = UserDraft.fromJson(json.readObject(exchange), false);
        LeafUser user = users.create(owner, draft);
        exchange.getResponseHeaders().put(Headers.LOCATION, USERS + "/" + user.id());
        json.send(exchange, 201, toJson(user));
    }

    private void get(HttpServerExchange exchange, UUID owner) {
        json.send(exchange, 200, toJson(users.get(owner, pathId(exchange))));
    }

    /** PUT /users carries the id in the body (Leaf); PUT /users/{id} is accepted too, and both must agree. */
    private void replace(HttpServerExchange exchange, UUID owner, UUID fromPath) {
        Map<String, Object> body = json.readObject(exchange);
        UUID id;
        if (fromPath == null) {
            if (body.get("id") == null) {
                throw Problem.badField("id", "'id' is required");
            }
            id = Ids.parse("id", body.get("id"));
        } else {
            id = fromPath;
            if (body.get("id") != null && !Ids.parse("id", body.get("id")).equals(fromPath)) {
                throw Problem.badField("id", "'id' in the body differs from the id in the path");
            }
        }
        json.send(exchange, 200, toJson(users.replace(owner, id, UserDraft.fromJson(body, true))));
    }

    private void patch(HttpServerExchange exchange, UUID owner) {
        UUID id = pathId(exchange);
        Map<String, Object> body = json.readObject(exchange);
        if (body.get("id") != null && !Ids.parse("id", body.get("id")).equals(id)) {
            throw Problem.badField("id", "'id' in the body differs from the id in the path");
        }
        body.remove("id");
        json.send(exchange, 200, toJson(users.patch(owner, id, body)));
    }

    private void delete(HttpServerExchange exchange, UUID owner) {
        users.delete(owner, pathId(exchange));
        exchange.setStatusCode(204);
        exchange.endExchange();
    }

    static UUID pathId(HttpServerExchange exchange) {
        return Ids.parse("userId", Router.param(exchange, "userId"));
    }

    static Map<String, Object> toJson(LeafUser user) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", user.id().toString());
        out.put("name", user.name());
        out.put("email", user.email());
        out.put("phone", user.phone());
        out.put("address", user.address());
        out.put("externalId", user.externalId());
        return out;
    }
}
