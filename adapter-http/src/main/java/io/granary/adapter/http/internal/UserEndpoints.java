package io.granary.adapter.http.internal;

import io.granary.core.domain.Credential;
import io.granary.core.domain.LeafUser;
import io.granary.core.domain.Page;
import io.granary.core.domain.PageRequest;
import io.granary.core.domain.UserFilter;
import io.granary.core.port.in.CredentialLinks;
import io.granary.core.port.in.ManageUsersUseCase;
import io.granary.core.port.in.PatchUserCommand;
import io.granary.core.port.in.UserDraft;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.granary.spi.ProviderDescriptor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Leaf users: {@code /services/usermanagement/api/users}. Each answer carries one {@code <provider>Credentials} link
 * per provider Granary serves: the attached credential as the credential routes show it (secrets masked), or null.
 */
final class UserEndpoints {

    static final String USERS = "/services/usermanagement/api/users";

    /** Sortable properties of {@code GET /users}, as Leaf documents {@code sort=name,asc}. */
    private static final Map<String, UserFilter.SortKey> SORTABLE = Map.of(
            "name", UserFilter.SortKey.NAME, "email", UserFilter.SortKey.EMAIL,
            "externalId", UserFilter.SortKey.EXTERNAL_ID, "createdDate", UserFilter.SortKey.CREATED,
            "createdTime", UserFilter.SortKey.CREATED, "createdAt", UserFilter.SortKey.CREATED);

    private final ManageUsersUseCase users;
    private final Json json;
    private final CredentialJson view;
    private final List<ProviderDescriptor> providers;

    UserEndpoints(ManageUsersUseCase users, Json json, CredentialJson view, List<ProviderDescriptor> providers) {
        this.users = users;
        this.json = json;
        this.view = view;
        this.providers = List.copyOf(providers);
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
        PageRequest request = Paging.pageOnly(exchange);
        Paging.Sort sort = Paging.sort(exchange, SORTABLE.keySet().stream().sorted().toList());
        UserFilter filter = new UserFilter(Paging.query(exchange, "email"), Paging.query(exchange, "name"),
                Paging.query(exchange, "externalId"),
                sort == null ? null : new UserFilter.Order(SORTABLE.get(sort.property()), sort.ascending()));
        Page<LeafUser> page = users.list(owner, filter, request);
        Paging.headers(exchange, request, page);
        json.send(exchange, 200, page.items().stream().map(user -> withLinks(owner, user)).toList());
    }

    private void create(HttpServerExchange exchange, UUID owner) {
        Map<String, Object> body = json.readObject(exchange);
        UserDraft draft = UserDraft.fromJson(body, false);
        LeafUser user = users.create(owner, draft, CredentialLinks.fromJson(body));
        exchange.getResponseHeaders().put(Headers.LOCATION, USERS + "/" + user.id());
        json.send(exchange, 201, withLinks(owner, user));
    }

    private void get(HttpServerExchange exchange, UUID owner) {
        json.send(exchange, 200, withLinks(owner, users.get(owner, pathId(exchange))));
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
        UserDraft draft = UserDraft.fromJson(body, true);
        json.send(exchange, 200, withLinks(owner, users.replace(owner, id, draft, CredentialLinks.fromJson(body))));
    }

    private void patch(HttpServerExchange exchange, UUID owner) {
        UUID id = pathId(exchange);
        Map<String, Object> body = json.readObject(exchange);
        if (body.get("id") != null && !Ids.parse("id", body.get("id")).equals(id)) {
            throw Problem.badField("id", "'id' in the body differs from the id in the path");
        }
        json.send(exchange, 200, withLinks(owner, users.patch(owner, id, PatchUserCommand.fromJson(body))));
    }

    private void delete(HttpServerExchange exchange, UUID owner) {
        users.delete(owner, pathId(exchange));
        exchange.setStatusCode(204);
        exchange.endExchange();
    }

    static UUID pathId(HttpServerExchange exchange) {
        return Ids.parse("userId", Router.param(exchange, "userId"));
    }

    /** The user with one link per provider served: the credential as its own route shows it, or null. */
    private Map<String, Object> withLinks(UUID owner, LeafUser user) {
        Map<String, Object> out = toJson(user);
        Map<String, Credential> attached = new LinkedHashMap<>();
        for (Credential credential : users.credentials(owner, user.id())) {
            attached.put(credential.providerId(), credential);
        }
        for (ProviderDescriptor provider : providers) {
            Credential credential = attached.get(provider.id());
            out.put(CredentialLinks.nameOf(provider.endpointSuffix()),
                    credential == null ? null : view.credential(provider, credential));
        }
        return out;
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
