package io.granary.adapter.http;

import static io.granary.adapter.http.TestApi.SUFFIX;
import static io.granary.adapter.http.TestApi.USERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.testkit.FakeTokenServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class CredentialRoutesTest {

    private static final String MICROS = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z";

    private static String body(String refreshToken) {
        return "{\"clientId\":\"" + FakeTokenServer.CLIENT_ID + "\",\"clientSecret\":\"" + FakeTokenServer.CLIENT_SECRET
                + "\",\"refreshToken\":\"" + refreshToken + "\",\"clientEnvironment\":\"PRODUCTION\"}";
    }

    @Test
    void post_attachesCredential_answers201WithSecretsMasked() {
        try (TestApi t = TestApi.start()) {
            String token = t.ownerToken("o@farm.io");
            String user = t.createUser(token, "Ann", "ann@farm.io");
            String path = USERS + "/" + user + "/" + SUFFIX;

            HttpResponse<String> created = t.send("POST", path, token, body("short"));

            assertEquals(201, created.statusCode(), created.body());
            Map<String, Object> credential = TestApi.map(created);
            assertNotNull(credential.get("id"));
            assertEquals("PROCESSING", credential.get("status"));
            assertTrue(((String) credential.get("createdTime")).matches(MICROS), (String) credential.get("createdTime"));
            assertEquals("PRODUCTION", credential.get("clientEnvironment"));
            assertEquals(user, credential.get("leafUserId"));
            assertEquals(FakeTokenServer.CLIENT_ID, credential.get("clientId"));
            // 24 characters: masked with its last four; "short" is too short to show any of it.
            assertEquals("****alue", credential.get("clientSecret"));
            assertEquals("****", credential.get("refreshToken"));
            assertEquals(Map.of("scopes", List.of()), credential.get("tokenMetadata"));
            assertTrue(credential.containsKey("statusMessage"));
            assertTrue(credential.containsKey("accessTokenExpiresAt"));
            assertFalse(created.body().contains(FakeTokenServer.CLIENT_SECRET));
            assertEquals(path, created.headers().firstValue("Location").orElseThrow());

            HttpResponse<String> read = t.send("GET", path, token, null);
            assertEquals(200, read.statusCode());
            assertEquals(credential.get("id"), TestApi.map(read).get("id"));
        }
    }

    @Test
    void post_whenUserAlreadyHasOne_answers409() {
        try (TestApi t = TestApi.start()) {
            String token = t.ownerToken("o@farm.io");
            String path = USERS + "/" + t.createUser(token, "Ann", "ann@farm.io") + "/" + SUFFIX;
            assertEquals(201, t.send("POST", path, token, body(t.tokenServer.newGrant())).statusCode());
            TestApi.problem(t.send("POST", path, token, body(t.tokenServer.newGrant())), 409);
        }
    }

    @Test
    void post_withMissingOrWrongFields_answers400NamingTheField() {
        try (TestApi t = TestApi.start()) {
            String token = t.ownerToken("o@farm.io");
            String path = USERS + "/" + t.createUser(token, "Ann", "ann@farm.io") + "/" + SUFFIX;
            assertEquals("refreshToken", TestApi.problem(t.send("POST", path, token,
                    "{\"clientId\":\"a\",\"clientSecret\":\"b\"}"), 400).get("field"));
            assertEquals("clientId", TestApi.problem(t.send("POST", path, token,
                    "{\"clientId\":7,\"clientSecret\":\"b\",\"refreshToken\":\"c\"}"), 400).get("field"));
            assertEquals("clientEnvironment", TestApi.problem(t.send("POST", path, token,
                    "{\"clientId\":\"a\",\"clientSecret\":\"b\",\"refreshToken\":\"c\",\"clientEnvironment\":\"MOON\"}"), 400)
                    .get("field"));
            TestApi.problem(t.send("GET", path, token, null), 404);
        }
    }

    @Test
    void refresh_thenEvents_answerRefreshedCredentialAndPagedCalls() {
        try (TestApi t = TestApi.start()) {
            String token = t.ownerToken("o@farm.io");
            String path = USERS + "/" + t.createUser(token, "Ann", "ann@farm.io") + "/" + SUFFIX;
            t.send("POST", path, token, body(t.tokenServer.newGrant()));

            HttpResponse<String> refreshed = t.send("POST", path + "/refresh", token, null);

            assertEquals(200, refreshed.statusCode(), refreshed.body());
            Map<String, Object> credential = TestApi.map(refreshed);
            assertEquals("VALID", credential.get("status"), refreshed.body());
            assertNotNull(credential.get("accessToken"), "access tokens are answered in clear");
            assertTrue(((String) credential.get("accessTokenExpiresAt")).matches(MICROS));

            HttpResponse<String> events = t.send("GET", path + "/events?size=1", token, null);
            assertEquals(200, events.statusCode(), events.body());
            List<Map<String, Object>> items = TestApi.list(events);
            assertEquals(1, items.size());
            assertEquals(List.of("id", "createdDate", "statusCode", "headers", "body", "method", "url", "durationMillis"),
                    List.copyOf(items.get(0).keySet()));
            assertTrue(Integer.parseInt(events.headers().firstValue("X-Total-Count").orElseThrow()) >= 1);
            assertTrue(events.headers().firstValue("Link").orElseThrow().contains("rel=\"first\""));
            assertFalse(events.body().contains(FakeTokenServer.CLIENT_SECRET));
        }
    }

    @Test
    void get_ofAnInvalidCredential_answersStatusWithoutAUsableLookingToken() {
        try (TestApi t = TestApi.start()) {
            String token = t.ownerToken("o@farm.io");
            String path = USERS + "/" + t.createUser(token, "Ann", "ann@farm.io") + "/" + SUFFIX;
            String grant = t.tokenServer.newGrant();
            t.send("POST", path, token, body(grant));
            assertNotNull(TestApi.map(t.send("POST", path + "/refresh", token, null)).get("accessToken"));
            t.tokenServer.revoke(grant);

            Map<String, Object> refused = TestApi.map(t.send("POST", path + "/refresh", token, null));
            Map<String, Object> read = TestApi.map(t.send("GET", path, token, null));

            for (Map<String, Object> credential : List.of(refused, read)) {
                assertEquals("INVALID", credential.get("status"));
                assertTrue(credential.containsKey("accessToken"), "the key stays, as in Leaf's schema");
                assertEquals(null, credential.get("accessToken"));
                assertEquals(null, credential.get("accessTokenExpiresAt"));
                assertNotNull(credential.get("statusMessage"));
            }
        }
    }

    @Test
    void delete_answers204_thenCredentialIsGone() {
        try (TestApi t = TestApi.start()) {
            String token = t.ownerToken("o@farm.io");
            String path = USERS + "/" + t.createUser(token, "Ann", "ann@farm.io") + "/" + SUFFIX;
            t.send("POST", path, token, body(t.tokenServer.newGrant()));
            assertEquals(204, t.send("DELETE", path, token, null).statusCode());
            TestApi.problem(t.send("GET", path, token, null), 404);
            TestApi.problem(t.send("DELETE", path, token, null), 404);
            TestApi.problem(t.send("GET", path + "/events", token, null), 404);
        }
    }

    @Test
    void routes_withUnknownSuffix_answer404() {
        try (TestApi t = TestApi.start()) {
            String token = t.ownerToken("o@farm.io");
            String user = USERS + "/" + t.createUser(token, "Ann", "ann@farm.io");
            TestApi.problem(t.send("GET", user + "/nope-credentials", token, null), 404);
            TestApi.problem(t.send("POST", user + "/nope-credentials", token, body("x")), 404);
            TestApi.problem(t.send("DELETE", user + "/nope-credentials", token, null), 404);
            TestApi.problem(t.send("GET", user + "/nope-credentials/events", token, null), 404);
            TestApi.problem(t.send("POST", user + "/nope-credentials/refresh", token, null), 404);
        }
    }

    @Test
    void get_withRevealSecrets_showsMaskedFieldsAsStored() {
        try (TestApi t = TestApi.revealingSecrets()) {
            String token = t.ownerToken("o@farm.io");
            String path = USERS + "/" + t.createUser(token, "Ann", "ann@farm.io") + "/" + SUFFIX;
            t.send("POST", path, token, body("rt-1"));
            Map<String, Object> credential = TestApi.map(t.send("GET", path, token, null));
            assertEquals(FakeTokenServer.CLIENT_SECRET, credential.get("clientSecret"));
            assertEquals("rt-1", credential.get("refreshToken"));
        }
    }

    @Test
    void providers_listsLoadedProvidersWithTheirFields() {
        try (TestApi t = TestApi.start()) {
            String token = t.ownerToken("o@farm.io");
            HttpResponse<String> answer = t.send("GET", "/services/usermanagement/api/providers", token, null);
            assertEquals(200, answer.statusCode());
            List<Map<String, Object>> providers = TestApi.list(answer);
            assertEquals(1, providers.size());
            Map<String, Object> provider = providers.get(0);
            assertEquals("TestOAuth", provider.get("id"));
            assertEquals(SUFFIX, provider.get("endpointSuffix"));
            assertEquals("OAUTH2", provider.get("authType"));
            assertEquals(List.of("STAGE", "PRODUCTION"), provider.get("environments"));
            assertEquals("PRODUCTION", provider.get("defaultEnvironment"));
            assertEquals("built-in", provider.get("origin"), "where the provider came from: built in or a plugin jar");
            @SuppressWarnings("unchecked")
            Map<String, Object> secret = ((List<Map<String, Object>>) provider.get("fields")).get(1);
            assertEquals(Map.of("name", "clientSecret", "required", true, "secret", true, "generated", false,
                    "answer", "MASKED", "maxLength", 8192), secret);
            TestApi.problem(t.send("GET", "/services/usermanagement/api/providers", null, null), 401);
        }
    }
}
