package io.granary.adapter.http.internal;

import io.granary.core.domain.MagicLink;
import io.granary.core.port.in.MagicLinkCommand;
import io.granary.core.port.in.MagicLinkForUserCommand;
import io.granary.core.port.in.ManageMagicLinksUseCase;
import io.undertow.server.HttpServerExchange;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** The owner's magic link API under {@code /services/widgets/api}. */
final class MagicLinkEndpoints {

    static final String BASE = "/services/widgets/api/magic-link";

    private final ManageMagicLinksUseCase links;
    private final Json json;

    MagicLinkEndpoints(ManageMagicLinksUseCase links, Json json) {
        this.links = links;
        this.json = json;
    }

    void register(Router router, Authentication auth) {
        router.add("POST", BASE + "/users/{userId}/provider", auth.owned(this::create))
                .add("POST", BASE + "/provider", auth.owned((exchange, owner) ->
                        json.send(exchange, 201, detail(links.createWithUser(owner, MagicLinkForUserCommand.fromJson(json.readObject(exchange)))))))
                .add("GET", BASE + "/provider", auth.owned((exchange, owner) ->
                        json.send(exchange, 200, links.list(owner).stream().map(this::detail).toList())))
                .add("GET", BASE + "/provider/{id}", auth.owned((exchange, owner) ->
                        json.send(exchange, 200, detail(links.get(owner, id(exchange))))))
                .add("DELETE", BASE + "/provider/{id}", auth.owned((exchange, owner) -> {
                    links.delete(owner, id(exchange));
                    exchange.setStatusCode(204);
                    exchange.endExchange();
                }));
    }

    private void create(HttpServerExchange exchange, UUID owner) {
        UUID userId = UserEndpoints.pathId(exchange);
        MagicLink link = links.create(owner, userId, MagicLinkCommand.fromJson(json.readObject(exchange)));
        json.send(exchange, 201, summary(link));
    }

    private Map<String, Object> summary(MagicLink link) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", link.id().toString());
        view.put("leafUserId", link.leafUserId().toString());
        view.put("link", links.link(link));
        view.put("expiresAt", CredentialJson.time(link.expiresAt()));
        return view;
    }

    private Map<String, Object> detail(MagicLink link) {
        Map<String, Object> view = summary(link);
        view.put("allowedProviders", link.allowedProviders());
        view.put("createdAt", CredentialJson.time(link.createdAt()));
        view.put("lastAccessedAt", link.lastAccessedAt() == null ? null : CredentialJson.time(link.lastAccessedAt()));
        view.put("maxUsage", link.maxUsage());
        view.put("usageCount", link.usageCount());
        view.put("widget", "PROVIDER"); // Leaf's link type; Granary serves provider links only
        MagicLink.Settings s = link.settings();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("backgroundColor", s.backgroundColor());
        settings.put("headerImage", s.headerImage());
        settings.put("companyLogo", s.companyLogo());
        settings.put("companyName", s.companyName());
        settings.put("showLeafUserName", s.showLeafUserName());
        settings.put("disconnectEnabled", s.disconnectEnabled());
        view.put("settings", settings);
        return view;
    }

    private static UUID id(HttpServerExchange exchange) {
        return Ids.parse("id", Router.param(exchange, "id"));
    }
}
