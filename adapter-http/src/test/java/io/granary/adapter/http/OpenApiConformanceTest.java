package io.granary.adapter.http;

import static io.granary.adapter.http.TestApi.USERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.granary.core.testing.OrganizationsTestProvider;
import io.granary.spi.ProviderOrganization;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real answers checked against {@code GET /openapi.json}: for each request the route's operation must list the answer's
 * status (exactly, or its 2XX/4XX/5XX range), its content type, and the body must validate against the listed schema
 * (networknt json-schema-validator, JSON Schema 2020-12 as OpenAPI 3.1 uses).
 */
final class OpenApiConformanceTest {

    private final OrganizationsTestProvider provider = new OrganizationsTestProvider();
    private final TestApi t = TestApi.withProviders(provider);
    private final JsonNode doc = read(t.send("GET", "/openapi.json", null, null));
    private final List<String> checked = new ArrayList<>();

    @AfterEach
    void stop() {
        t.close();
    }

    private static JsonNode read(HttpResponse<String> answer) {
        try {
            return TestApi.JSON.readTree(answer.body());
        } catch (Exception e) {
            throw new AssertionError(answer.body(), e);
        }
    }

    @Test
    void document_isOpenApi31_describesEveryRoute_withSecurityAndProblems() {
        assertEquals("3.1.0", doc.get("openapi").asText());
        JsonNode users = doc.at("/paths/~1services~1usermanagement~1api~1users/get");
        assertEquals("bearer", users.at("/security/0").fieldNames().next());
        assertEquals("#/components/schemas/Problem", users.at("/responses/4XX/content/application~1problem+json/schema/$ref").asText());
        assertEquals(0, doc.at("/paths/~1api~1authenticate/post/security").size(), "login is public");
        assertEquals(0, doc.at("/paths/~1openapi.json/get/security").size());
        for (String template : List.of(USERS + "/{userId}/organizations/{provider}", "/services/config/api/configs/{userId}",
                "/services/alerts/api/alerts/webhooks/failed-calls", USERS + "/{userId}/{suffix}/events")) {
            assertTrue(doc.get("paths").has(template), template);
        }
        Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fields().forEachRemaining(op -> {
                if (!op.getKey().equals("parameters")) {
                    assertTrue(op.getValue().at("/responses").has("4XX"), path.getKey() + " " + op.getKey());
                }
            });
        }
    }

    @Test
    void realAnswers_matchTheDocument() {
        String token = t.ownerToken("o@farm.io");
        String other = t.ownerToken("other@farm.io");
        check("POST", "/api/authenticate", null, "{\"username\":\"o@farm.io\",\"password\":\"" + TestApi.PASSWORD + "\"}");
        check("POST", "/api/authenticate", null, "{\"username\":\"o@farm.io\",\"password\":\"wrong\"}");
        String user = (String) TestApi.map(check("POST", USERS, token, "{\"name\":\"Ann\",\"email\":\"ann@farm.io\"}")).get("id");
        check("GET", USERS + "?sort=name,asc", token, null);
        check("GET", USERS + "/", token, null);
        check("GET", USERS + "/" + user, token, null);
        check("GET", USERS + "/" + user, other, null);
        check("GET", USERS, null, null);
        check("POST", USERS, token, "{\"name\":7}");
        provider.sees(List.of(new ProviderOrganization("1", "One", true, null), new ProviderOrganization("2", "Two", false, "https://x.example")));
        String credentials = USERS + "/" + user + "/" + OrganizationsTestProvider.SUFFIX;
        check("POST", credentials, token, "{\"apiKey\":\"key-0123456789abcdef\"}");
        check("POST", credentials + "/refresh", token, null);
        check("GET", credentials, token, null);
        check("GET", credentials + "/events", token, null);
        check("PUT", USERS, token, t.send("GET", USERS + "/" + user, token, null).body());
        check("PATCH", USERS + "/" + user, token, "{\"phone\":\"555\"}");
        check("GET", "/services/usermanagement/api/providers", token, null);
        String orgs = USERS + "/" + user + "/" + OrganizationsTestProvider.ID + "/organizations";
        check("GET", USERS + "/" + user + "/organizations/" + OrganizationsTestProvider.ID, token, null);
        check("GET", orgs, token, null);
        check("GET", orgs + "/1", token, null);
        check("PATCH", orgs + "/1/PREVIEW", token, null);
        check("PATCH", orgs + "/2/SELECTED", token, null);
        check("POST", orgs + "/sync", token, null);
        check("GET", "/services/config/api/configs", token, null);
        check("PATCH", "/services/config/api/configs", token, "{\"fieldsAutoSync\":false}");
        check("DELETE", "/services/config/api/configs", token, null);
        check("POST", "/services/config/api/configs/" + user, token, "{\"organizationDataSync\":\"SELECTED_ONLY\"}");
        check("GET", "/services/config/api/configs/" + user, token, null);
        check("PATCH", "/services/config/api/configs/" + user, token, "{\"organizationDataSync\":null}");
        check("GET", "/services/config/api/configs/" + user, token, null);
        String webhooks = "/services/alerts/api/alerts/webhooks";
        check("POST", webhooks, token, "{\"name\":\"ops\",\"url\":\"http://127.0.0.1:9/hook\",\"secret\":\"webhook-secret\",\"events\":[\"fieldCreated\"]}");
        check("GET", webhooks, token, null);
        check("GET", webhooks + "/failed-calls", token, null);
        check("GET", webhooks + "/" + java.util.UUID.randomUUID(), token, null);
        check("DELETE", credentials, token, null);
        check("DELETE", USERS + "/" + user, token, null);
        check("GET", "/health/live", null, null);
        check("GET", "/no/such/route", null, null);
        assertEquals(37, checked.size(), checked.toString());
    }

    /** Sends the request and checks its answer against the document; returns the answer. */
    private HttpResponse<String> check(String method, String path, String token, String body) {
        HttpResponse<String> answer = t.send(method, path, token, body);
        checked.add(method + " " + path + " " + answer.statusCode());
        JsonNode operation = operation(method, path.split("\\?")[0]);
        if (operation == null) {
            // Only an unrouted path (404) or method (405) may be undescribed, and it must still answer a problem.
            assertTrue(answer.statusCode() == 404 || answer.statusCode() == 405, method + " " + path + " " + answer.statusCode());
            validate(ref("Problem"), answer, method + " " + path);
            return answer;
        }
        String status = Integer.toString(answer.statusCode());
        JsonNode responses = operation.get("responses");
        JsonNode response = responses.has(status) ? responses.get(status) : responses.get(status.charAt(0) + "XX");
        if (response == null) {
            fail(method + " " + path + " answered " + status + ", which the document does not list: " + answer.body());
        }
        JsonNode content = response.get("content");
        if (content == null) {
            assertEquals("", answer.body(), method + " " + path + " must have no body");
            return answer;
        }
        String type = answer.headers().firstValue("Content-Type").orElse("").split(";")[0].trim();
        JsonNode media = content.has(type) ? content.get(type) : content.get("*/*");
        assertNotNull(media, method + " " + path + ": content type " + type + " not in " + content);
        if (media.has("schema")) {
            validate(media.get("schema"), answer, method + " " + path);
        }
        return answer;
    }

    private static JsonNode ref(String schema) {
        return TestApi.JSON.createObjectNode().put("$ref", "#/components/schemas/" + schema);
    }

    /** The operation whose path template matches, preferring literal segments as Undertow does. */
    private JsonNode operation(String method, String path) {
        String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        JsonNode best = null;
        int bestLiterals = -1;
        Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> entry = paths.next();
            String regex = "\\Q" + entry.getKey().replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q") + "\\E";
            JsonNode op = entry.getValue().get(method.toLowerCase(java.util.Locale.ROOT));
            if (op != null && Pattern.matches(regex, trimmed)) {
                int literals = entry.getKey().replaceAll("\\{[^}]+}", "").length();
                if (literals > bestLiterals) {
                    best = op;
                    bestLiterals = literals;
                }
            }
        }
        return best;
    }

    /** Validates against the document's schema, its components given as $defs (2020-12). */
    private void validate(JsonNode schema, HttpResponse<String> answer, String what) {
        String defs = doc.at("/components/schemas").toString().replace("#/components/schemas/", "#/$defs/");
        ObjectNode root = (ObjectNode) read(schema.toString().replace("#/components/schemas/", "#/$defs/"));
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.set("$defs", readText(defs));
        JsonSchema validator = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(root);
        Set<ValidationMessage> errors = validator.validate(readText(answer.body()));
        assertTrue(errors.isEmpty(), what + " answered " + answer.statusCode() + " " + answer.body() + ": " + errors);
    }

    private static JsonNode read(String text) {
        return readText(text);
    }

    private static JsonNode readText(String text) {
        try {
            return TestApi.JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(text, e);
        }
    }
}
