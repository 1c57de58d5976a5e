package io.granary.adapter.http.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The answer bodies of the OpenAPI description, as JSON Schema 2020-12 (OpenAPI 3.1's dialect). */
final class OpenApiSchemas {

    private static final Map<String, Object> TEXT = Map.of("type", "string");
    private static final Map<String, Object> TEXT_OR_NULL = Map.of("type", List.of("string", "null"));
    private static final Map<String, Object> TIME = Map.of("type", "string", "format", "date-time");
    private static final Map<String, Object> STATUS = Map.of("enum",
            List.of("PROCESSING", "VALID", "INVALID", "MISSING_PERMISSION", "TEMPORARILY_UNAVAILABLE"));

    static final Map<String, Object> ALL = new LinkedHashMap<>();

    static {
        ALL.put("Problem", object(List.of("type", "title", "status", "detail", "requestId"), props(
                "type", TEXT, "title", TEXT, "status", Map.of("type", "integer"), "detail", TEXT_OR_NULL,
                "field", TEXT, "requestId", TEXT), false));
        ALL.put("Token", object(List.of("id_token"), props("id_token", TEXT), false));
        Map<String, Object> user = object(List.of("id", "name", "email", "phone", "address", "externalId"), props(
                "id", TEXT, "name", TEXT_OR_NULL, "email", TEXT_OR_NULL, "phone", TEXT_OR_NULL, "address", TEXT_OR_NULL,
                "externalId", TEXT_OR_NULL), false);
        // Leaf's credential links: the credential as its route shows it, or null.
        user.put("patternProperties", Map.of("^[a-z][A-Za-z0-9]*Credentials$",
                Map.of("oneOf", List.of(Map.of("type", "null"), OpenApiDocument.ref("Credential")))));
        ALL.put("User", user);
        ALL.put("Credential", object(List.of("id", "status", "createdTime", "leafUserId"), props(
                "id", TEXT, "status", STATUS, "createdTime", TIME, "leafUserId", TEXT,
                "clientEnvironment", Map.of("enum", java.util.Arrays.asList("STAGE", "PRODUCTION", null)),
                "statusMessage", TEXT_OR_NULL), true));
        ALL.put("CredentialEvent", object(List.of("id", "createdDate", "statusCode"), props(
                "id", TEXT, "createdDate", TIME, "statusCode", Map.of("type", "integer")), true));
        ALL.put("Provider", object(List.of("id", "displayName", "endpointSuffix", "authType", "environments", "fields"),
                props("id", TEXT, "displayName", TEXT, "endpointSuffix", TEXT, "authType", TEXT,
                        "environments", Map.of("type", "array", "items", TEXT), "fields", Map.of("type", "array")), true));
        ALL.put("Webhook", object(List.of("id", "name", "url", "events", "createdAt"), props(
                "id", TEXT, "name", TEXT, "url", TEXT, "events", Map.of("type", "array", "items", TEXT), "createdAt", TIME), false));
        Map<String, Object> failedCall = object(List.of("apiOwner", "createdAt", "url", "status", "response", "requestBody",
                "connectionError"), props("apiOwner", TEXT_OR_NULL, "createdAt", TIME, "url", TEXT,
                "status", Map.of("type", List.of("integer", "null")), "response", TEXT_OR_NULL, "requestBody", TEXT_OR_NULL,
                "connectionError", TEXT_OR_NULL), false);
        ALL.put("FailedCalls", object(List.of("items"), props("items", Map.of("type", "array", "items", failedCall)), false));
        Map<String, Object> brief = object(List.of("id", "name", "managementUri"), props(
                "id", TEXT, "name", TEXT_OR_NULL, "managementUri", TEXT_OR_NULL), false);
        Map<String, Object> briefs = Map.of("type", "array", "items", brief);
        ALL.put("OrganizationsByConnection", object(List.of("connectedOrganizations", "notConnectedOrganizations"),
                props("connectedOrganizations", briefs, "notConnectedOrganizations", briefs), false));
        ALL.put("ProviderOrganization", object(List.of("providerOrgId", "providerOrgName", "status", "managementUri"), props(
                "providerOrgId", TEXT, "providerOrgName", TEXT_OR_NULL, "status", Map.of("enum", List.of("SELECTED", "PREVIEW", "BLOCKED")),
                "managementUri", TEXT_OR_NULL), false));
        ALL.put("Configuration", object(List.of("apiOwnerUsername", "leafUserId"), props(
                "apiOwnerUsername", TEXT_OR_NULL, "leafUserId", TEXT,
                "organizationDataSync", Map.of("enum", List.of("ALL", "SELECTED_ONLY"))), true));
        ALL.put("MagicLink", object(List.of("id", "leafUserId", "link", "expiresAt"), props(
                "id", TEXT, "leafUserId", TEXT, "link", TEXT, "expiresAt", TIME, "createdAt", TIME,
                "lastAccessedAt", Map.of("type", List.of("string", "null")), "usageCount", Map.of("type", "integer"),
                "widget", Map.of("const", "PROVIDER"), "settings", Map.of("type", "object")), true));
    }

    private OpenApiSchemas() {
    }

    private static Map<String, Object> object(List<String> required, Map<String, Object> properties, boolean open) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "object");
        out.put("required", required);
        out.put("properties", properties);
        out.put("additionalProperties", open);
        return out;
    }

    private static Map<String, Object> props(Object... pairs) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put((String) pairs[i], pairs[i + 1]);
        }
        return out;
    }
}
