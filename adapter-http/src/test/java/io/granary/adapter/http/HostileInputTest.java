package io.granary.adapter.http;

import static io.granary.adapter.http.TestApi.SUFFIX;
import static io.granary.adapter.http.TestApi.USERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 4, point 5: every route against malformed, oversized and malicious input. Each must be a 4xx problem answer,
 * store nothing, and leave the server serving. (Slow bodies and oversized headers: TransportHardeningTest.)
 */
final class HostileInputTest {

    private record Route(String method, String path, List<String> fields) {
    }

    private record Case(String name, String method, String path, String body, String contentType) {
    }

    @Test
    void everyRoute_withHostileInput_answers4xxProblem_storesNothing_andKeepsServing() {
        try (TestApi t = TestApi.start()) {
            String token = t.ownerToken("owner@farm.io");
            String userId = t.createUser(token, "Ann", "ann@farm.io");
            String user = USERS + "/" + userId;
            String credential = user + "/" + SUFFIX;
            assertEquals(201, t.send("POST", credential, token,
                    "{\"clientId\":\"id\",\"clientSecret\":\"secret-value-1234\",\"refreshToken\":\"refresh-value-1234\"}").statusCode());
            String before = state(t, token, user, credential);

            List<String> userFields = List.of("name", "email", "phone", "address", "externalId");
            List<String> credentialFields = List.of("clientId", "clientSecret", "refreshToken", "accessToken", "clientEnvironment");
            List<Route> bodyRoutes = List.of(
                    new Route("POST", "/api/authenticate", List.of("username", "password", "rememberMe")),
                    new Route("POST", USERS, userFields),
                    new Route("PUT", USERS, userFields),
                    new Route("PUT", user, userFields),
                    new Route("PATCH", user, userFields),
                    new Route("POST", user + "/" + "other-credentials", credentialFields),
                    new Route("POST", credential, credentialFields)); // exists: 409 at best, but bad bodies must be 400 first
            List<Route> allRoutes = new ArrayList<>(bodyRoutes);
            allRoutes.addAll(List.of(new Route("GET", USERS, List.of()), new Route("GET", user, List.of()),
                    new Route("DELETE", user, List.of()), new Route("GET", credential, List.of()),
                    new Route("DELETE", credential, List.of()), new Route("GET", credential + "/events", List.of()),
                    new Route("POST", credential + "/refresh", List.of()),
                    new Route("GET", "/services/usermanagement/api/providers", List.of())));

            List<Case> cases = new ArrayList<>();
            for (Route r : bodyRoutes) {
                for (String body : List.of("{\"name\":", "{\"name\":\"a\"", "{\"name\":\"a\"}}", "[]", "\"text\"", "42", "null",
                        "{\"name\":\"a\",\"name\":\"b\"}", "{\"a\":".repeat(40) + "1" + "}".repeat(40), "",
                        "{\"name\":\"a\"} trailing", "{'name':'a'}", "{\"name\":\"\\ud800\"}x")) {
                    cases.add(new Case("malformed " + body.length(), r.method, r.path, body, "application/json"));
                }
                cases.add(new Case("over the 64 KiB limit", r.method, r.path, "{\"name\":\"" + "x".repeat(70_000) + "\"}", "application/json"));
                cases.add(new Case("wrong content type", r.method, r.path, "{\"name\":\"a\"}", "text/plain"));
                cases.add(new Case("form content type", r.method, r.path, "name=a", "application/x-www-form-urlencoded"));
                cases.add(new Case("unknown field", r.method, r.path, "{\"'; DROP TABLE users;--\":\"x\"}", "application/json"));
                for (String field : r.fields) {
                    for (String value : List.of("5", "true", "{}", "[\"a\"]", "\"a\\u0000b\"", "\"a\\u001bb\"", "\"a\\nb\"",
                            "\"" + "y".repeat(9_000) + "\"")) {
                        if (field.equals("password") && value.startsWith("\"a")) {
                            continue; // any text is a possible password: that is a 401, covered by AuthenticationTest
                        }
                        cases.add(new Case(field + "=" + value.substring(0, Math.min(12, value.length())), r.method, r.path,
                                "{\"" + field + "\":" + value + "}", "application/json"));
                    }
                }
            }
            for (Route r : allRoutes) {
                cases.add(new Case("unknown method", "FOO", r.path, null, null));
            }
            for (String bad : List.of("not-a-uuid", "1-1-1-1-1", userId + "x", "'%20OR%201=1--", "..", "%2e%2e", "..%2f..%2fetc%2fpasswd",
                    "%00", "%2F", "x".repeat(2_000))) {
                for (String suffix : List.of("", "/" + SUFFIX, "/" + SUFFIX + "/events", "/" + SUFFIX + "/refresh")) {
                    for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE")) {
                        cases.add(new Case("path " + bad.substring(0, Math.min(12, bad.length())), method, USERS + "/" + bad + suffix,
                                method.equals("GET") || method.equals("DELETE") ? null : "{\"name\":\"a\"}", "application/json"));
                    }
                }
            }
            for (String query : List.of("?size=0", "?size=-1", "?size=99999999999999999999", "?page=-1", "?sort=name;DROP", "?sort=createdDate,sideways",
                    "?size=abc", "?page=1e9")) {
                cases.add(new Case("query " + query, "GET", USERS + query, null, null));
                cases.add(new Case("query " + query, "GET", credential + "/events" + query, null, null));
            }

            int checked = 0;
            for (Case c : cases) {
                HttpRequest.Builder request = t.request(c.method, c.path, c.path.equals("/api/authenticate") ? null : token, null)
                        .method(c.method, c.body == null ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(c.body, StandardCharsets.UTF_8));
                if (c.contentType != null && c.body != null) {
                    request.header("Content-Type", c.contentType);
                }
                HttpResponse<String> answer = t.send(request);
                String where = c.method + " " + c.path.substring(0, Math.min(90, c.path.length())) + " [" + c.name + "]";
                assertTrue(answer.statusCode() >= 400 && answer.statusCode() < 500, where + " -> " + answer.statusCode() + " " + answer.body());
                Map<String, Object> problem = TestApi.problem(answer, answer.statusCode());
                assertTrue(!String.valueOf(problem.get("detail")).contains("yyyyyyyy"), where + " echoed input: " + problem);
                assertEquals(200, t.send("GET", user, token, null).statusCode(), "server stopped serving after " + where);
                checked++;
            }
            assertTrue(checked > 400, "only " + checked + " cases");
            assertEquals(before, state(t, token, user, credential), "a hostile request changed stored state");
        }
    }

    private static String state(TestApi t, String token, String user, String credential) {
        HttpResponse<String> users = t.send("GET", USERS, token, null);
        return users.headers().firstValue("X-Total-Count").orElse("?") + users.body() + "\n"
                + t.send("GET", user, token, null).body() + "\n" + t.send("GET", credential, token, null).body();
    }
}
