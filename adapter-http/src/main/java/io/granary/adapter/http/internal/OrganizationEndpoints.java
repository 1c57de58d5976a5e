package io.granary.adapter.http.internal;

import io.granary.core.domain.Page;
import io.granary.core.domain.PageRequest;
import io.granary.core.port.in.ManageProviderOrganizationsUseCase;
import io.granary.core.port.in.OrganizationView;
import io.undertow.server.HttpServerExchange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Leaf's provider organizations (https://docs.withleaf.io/docs/provider_organizations), served from what the
 * credential's latest refresh stored:
 * <ul>
 *   <li>{@code GET /users/{id}/organizations/{provider}}: {@code {connectedOrganizations, notConnectedOrganizations}},
 *       each {@code [{id, name, managementUri}]};</li>
 *   <li>{@code GET /users/{id}/{provider}/organizations} (paged), {@code GET .../{providerOrgId}},
 *       {@code PATCH .../{providerOrgId}/{status}}, {@code POST .../sync}: {@code {providerOrgId, providerOrgName,
 *       status, managementUri}}.</li>
 * </ul>
 * {@code {provider}} is the provider id ({@code JohnDeere}, {@code Trimble}).
 */
final class OrganizationEndpoints {

    static final String BY_CONNECTION = UserEndpoints.USERS + "/{userId}/organizations/{provider}";
    static final String SELECTION = UserEndpoints.USERS + "/{userId}/{provider}/organizations";

    private final ManageProviderOrganizationsUseCase organizations;
    private final Json json;

    OrganizationEndpoints(ManageProviderOrganizationsUseCase organizations, Json json) {
        this.organizations = organizations;
        this.json = json;
    }

    void register(Router router, Authentication auth) {
        router.add("GET", BY_CONNECTION, auth.owned(this::byConnection))
                .add("GET", SELECTION, auth.owned(this::list))
                // A literal segment: Undertow prefers it to the {providerOrgId} template.
                .add("POST", SELECTION + "/sync", auth.owned(this::sync))
                .add("GET", SELECTION + "/{providerOrgId}", auth.owned(this::get))
                .add("PATCH", SELECTION + "/{providerOrgId}/{status}", auth.owned(this::choose));
    }

    private void byConnection(HttpServerExchange exchange, UUID owner) {
        List<OrganizationView> all = organizations.organizations(owner, UserEndpoints.pathId(exchange), provider(exchange));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("connectedOrganizations", all.stream().filter(OrganizationView::connected).map(OrganizationEndpoints::brief).toList());
        out.put("notConnectedOrganizations", all.stream().filter(o -> !o.connected()).map(OrganizationEndpoints::brief).toList());
        json.send(exchange, 200, out);
    }

    private void list(HttpServerExchange exchange, UUID owner) {
        PageRequest request = Paging.pageOnly(exchange);
        List<OrganizationView> all = organizations.organizations(owner, UserEndpoints.pathId(exchange), provider(exchange));
        long from = Math.min(request.offset(), all.size());
        List<OrganizationView> slice = all.subList((int) from, (int) Math.min(from + request.size(), all.size()));
        Paging.headers(exchange, request, new Page<>(slice, all.size()));
        json.send(exchange, 200, slice.stream().map(OrganizationEndpoints::selection).toList());
    }

    private void get(HttpServerExchange exchange, UUID owner) {
        json.send(exchange, 200, selection(organizations.organization(owner, UserEndpoints.pathId(exchange),
                provider(exchange), Router.param(exchange, "providerOrgId"))));
    }

    private void choose(HttpServerExchange exchange, UUID owner) {
        json.send(exchange, 200, selection(organizations.choose(owner, UserEndpoints.pathId(exchange), provider(exchange),
                Router.param(exchange, "providerOrgId"), Router.param(exchange, "status"))));
    }

    private void sync(HttpServerExchange exchange, UUID owner) {
        json.send(exchange, 200, organizations.sync(owner, UserEndpoints.pathId(exchange), provider(exchange)).stream()
                .map(OrganizationEndpoints::selection).toList());
    }

    private static String provider(HttpServerExchange exchange) {
        return Router.param(exchange, "provider");
    }

    private static Map<String, Object> brief(OrganizationView o) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", o.id());
        out.put("name", o.name());
        out.put("managementUri", o.managementUri());
        return out;
    }

    private static Map<String, Object> selection(OrganizationView o) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("providerOrgId", o.id());
        out.put("providerOrgName", o.name());
        out.put("status", o.status().name());
        out.put("managementUri", o.managementUri());
        return out;
    }
}
