package io.granary.adapter.http.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /openapi.json}: an OpenAPI 3.1 description generated from the route table, so every route served is in it
 * and none is described twice. Each operation gets its success answer (status and body schema from {@link #ANSWERS},
 * or a bare description for pages and routes without one), the problem answers every route may give
 * ({@code application/problem+json} for 4XX and 5XX) and its security (the bearer token unless the route is public).
 */
final class OpenApiDocument {

    private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");
    private static final String USERS = UserEndpoints.USERS;
    private static final String CREDENTIAL = CredentialEndpoints.CREDENTIAL;
    private static final String WEBHOOKS = AlertEndpoints.WEBHOOKS;
    private static final String ORGS = OrganizationEndpoints.SELECTION;
    private static final String CONFIGS = ConfigurationEndpoints.CONFIGS;
    private static final String LINKS = MagicLinkEndpoints.BASE;

    /** Success status and body schema of the JSON routes, by "METHOD template"; a null schema means no body. */
    private static final Map<String, Answer> ANSWERS = new LinkedHashMap<>();

    private record Answer(int status, Object schema) { }

    static {
        answer("POST /api/authenticate", 200, ref("Token"));
        answer("GET " + USERS, 200, list("User"));
        answer("POST " + USERS, 201, ref("User"));
        answer("PUT " + USERS, 200, ref("User"));
        for (String method : List.of("GET", "PUT", "PATCH")) {
            answer(method + " " + USERS + "/{userId}", 200, ref("User"));
        }
        answer("DELETE " + USERS + "/{userId}", 204, null);
        answer("GET " + CREDENTIAL, 200, ref("Credential"));
        answer("POST " + CREDENTIAL, 201, ref("Credential"));
        answer("DELETE " + CREDENTIAL, 204, null);
        answer("GET " + CREDENTIAL + "/events", 200, list("CredentialEvent"));
        answer("POST " + CREDENTIAL + "/refresh", 200, ref("Credential"));
        answer("GET " + CredentialEndpoints.PROVIDERS, 200, list("Provider"));
        answer("POST " + WEBHOOKS, 201, ref("Webhook"));
        answer("GET " + WEBHOOKS, 200, list("Webhook"));
        answer("GET " + WEBHOOKS + "/failed-calls", 200, ref("FailedCalls"));
        answer("GET " + WEBHOOKS + "/{webhookId}", 200, ref("Webhook"));
        answer("DELETE " + WEBHOOKS + "/{webhookId}", 204, null);
        answer("GET " + OrganizationEndpoints.BY_CONNECTION, 200, ref("OrganizationsByConnection"));
        answer("GET " + ORGS, 200, list("ProviderOrganization"));
        answer("POST " + ORGS + "/sync", 200, list("ProviderOrganization"));
        answer("GET " + ORGS + "/{providerOrgId}", 200, ref("ProviderOrganization"));
        answer("PATCH " + ORGS + "/{providerOrgId}/{status}", 200, ref("ProviderOrganization"));
        answer("GET " + CONFIGS, 200, ref("Configuration"));
        answer("PATCH " + CONFIGS, 200, ref("Configuration"));
        answer("GET " + CONFIGS + "/{userId}", 200, ref("Configuration"));
        answer("POST " + CONFIGS + "/{userId}", 201, ref("Configuration"));
        answer("PATCH " + CONFIGS + "/{userId}", 200, ref("Configuration"));
        answer("DELETE " + CONFIGS + "/{userId}", 204, null);
        answer("POST " + LINKS + "/users/{userId}/provider", 201, ref("MagicLink"));
        answer("POST " + LINKS + "/provider", 201, ref("MagicLink"));
        answer("GET " + LINKS + "/provider", 200, list("MagicLink"));
        answer("GET " + LINKS + "/provider/{id}", 200, ref("MagicLink"));
        answer("DELETE " + LINKS + "/provider/{id}", 204, null);
        answer("GET /health/live", 200, Map.of("type", "object"));
        answer("GET /health/ready", 200, Map.of("type", "object"));
        answer("GET /openapi.json", 200, Map.of("type", "object", "required", List.of("openapi", "paths")));
    }

    private OpenApiDocument() {
    }

    private static void answer(String key, int status, Object schema) {
        ANSWERS.put(key, new Answer(status, schema));
    }

    static Map<String, Object> of(List<Router.Route> routes) {
        Map<String, Object> paths = new LinkedHashMap<>();
        for (Router.Route route : routes) {
            @SuppressWarnings("unchecked")
            Map<String, Object> path = (Map<String, Object>) paths.computeIfAbsent(route.template(), t -> pathItem(t));
            path.put(route.method().toLowerCase(java.util.Locale.ROOT), operation(route));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.1.0");
        doc.put("info", Map.of("title", "Granary", "version", "1",
                "description", "A self-hosted credential service with Leaf Agriculture's API shapes."));
        doc.put("paths", paths);
        doc.put("components", Map.of("schemas", OpenApiSchemas.ALL,
                "securitySchemes", Map.of("bearer", Map.of("type", "http", "scheme", "bearer", "bearerFormat", "JWT",
                        "description", "the id_token from POST /api/authenticate"))));
        return doc;
    }

    private static Map<String, Object> pathItem(String template) {
        Map<String, Object> item = new LinkedHashMap<>();
        List<Object> parameters = new ArrayList<>();
        Matcher m = PARAM.matcher(template);
        while (m.find()) {
            parameters.add(Map.of("name", m.group(1), "in", "path", "required", true, "schema", Map.of("type", "string")));
        }
        if (!parameters.isEmpty()) {
            item.put("parameters", parameters);
        }
        return item;
    }

    private static Map<String, Object> operation(Router.Route route) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("operationId", route.method().toLowerCase(java.util.Locale.ROOT) + route.template()
                .replaceAll("[{}]", "").replaceAll("[^A-Za-z0-9]+", "_"));
        op.put("security", route.secured() ? List.of(Map.of("bearer", List.of())) : List.of());
        Map<String, Object> responses = new LinkedHashMap<>();
        Answer answer = ANSWERS.get(route.method() + " " + route.template());
        if (answer == null) {
            // Pages, styles, redirects, metrics text: described, not schema-checked.
            responses.put("2XX", Map.of("description", "success", "content", Map.of("*/*", Map.of())));
            responses.put("3XX", Map.of("description", "redirect"));
        } else if (answer.schema() == null) {
            responses.put(Integer.toString(answer.status()), Map.of("description", "done, no body"));
        } else {
            responses.put(Integer.toString(answer.status()), Map.of("description", "success",
                    "content", Map.of("application/json", Map.of("schema", answer.schema()))));
        }
        if (route.template().startsWith(CONFIGS + "/") && route.method().equals("PATCH")) {
            responses.put("204", Map.of("description", "every override removed: the user inherits everything again"));
        }
        Map<String, Object> problem = Map.of("application/problem+json", Map.of("schema", ref("Problem")));
        responses.put("4XX", Map.of("description", "refused (RFC 9457 problem)", "content", problem));
        responses.put("5XX", Map.of("description", "failed (RFC 9457 problem)", "content", problem));
        op.put("responses", responses);
        return op;
    }

    static Map<String, Object> ref(String schema) {
        return Map.of("$ref", "#/components/schemas/" + schema);
    }

    private static Map<String, Object> list(String schema) {
        return Map.of("type", "array", "items", ref(schema));
    }
}
