package io.granary.adapter.http;

import static io.granary.adapter.http.TestApi.SUFFIX;
import static io.granary.adapter.http.TestApi.USERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.testkit.FakeTokenServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What Leaf's clients send, replayed: trailing slashes, {@code PUT /users} with credential links, {@code sort}
 * (https://docs.withleaf.io/api-reference/users, https://docs.withleaf.io/docs/user_management_endpoints).
 */
final class LeafUserCompatibilityTest {

    /** The test provider's link: its suffix {@code test-oauth-credentials} in camel case, as Leaf names links. */
    private static final String LINK = "testOauthCredentials";

    private static String credentialBody(String refreshToken) {
        return "{\"clientId\":\"" + FakeTokenServer.CLIENT_ID + "\",\"clientSecret\":\"" + FakeTokenServer.CLIENT_SECRET
                + "\",\"refreshToken\":\"" + refreshToken + "\"}";
    }

    private static String attach(TestApi t, String token, String user) {
        HttpResponse<String> created = t.send("POST", USERS + "/" + user + "/" + SUFFIX, token,
                credentialBody(t.tokenServer.newGrant()));
        assertEquals(201, created.statusCode(), created.body());
        return (String) TestApi.map(created).get("id");
    }

    @Test
    void collectionRoutes_withTrailingSlash_answerAsWithout() {
        try (TestApi t = TestApi.start()) {
            String token = t.ownerToken("o@farm.io");
            // Leaf's Postman collection: POST .../users/ then GET .../users/
            HttpResponse<String> created = t.send("POST", USERS + "/", token, "{\"name\":\"Ann\",\"email\":\"ann@farm.io\"}");
            assertEquals(201, created.statusCode(), created.body());
            String id = (String) TestApi.map(created).get("id");

            HttpResponse<String> listed = t.send("GET", USERS + "/", token, null);
            assertEquals(200, listed.statusCode(), listed.body());
            assertEquals(List.of(id), TestApi.list(listed).stream().map(u -> u.get("id")).toList());
            assertEquals("1", listed.headers().firstValue("X-Total-Count").orElseThrow());
            assertEquals(200, t.send("GET", USERS + "/" + id + "/", token, null).statusCode());
            assertEquals(200, t.send("GET", "/services/alerts/api/alerts/webhooks/", token, null).statusCode());
            assertEquals(200, t.send("PUT", USERS + "/", token, "{\"id\":\"" + id + "\",\"name\":\"Ann B\"}").statusCode());
        }
    }

    @Test
    void get_carriesEachProvidersLink_nullWhenNone_maskedCredentialWhenAttached() {
        try (TestApi t = TestApi.start()) {
            String token = t.ownerToken("o@farm.io");
            String user = t.createUser(token, "Ann", "ann@farm.io");
            Map<String, Object> before = TestApi.map(t.send("GET", USERS + "/" + user, token, null));
            assertTrue(before.containsKey(LINK));
            assertNull(before.get(LINK));

            String credentialId = attach(t, token, user);

            HttpResponse<String> read = t.send("GET", USERS + "/" + user, token, null);
            @SuppressWarnings("unchecked")
            Map<String, Object> link = (Map<String, Object>) TestApi.map(read).get(LINK);
            assertEquals(credentialId, link.get("id"));
            assertEquals("PROCESSING", link.get("status"));
            assertEquals("****alue", link.get("clientSecret"));
            assertFalse(read.body().contains(FakeTokenServer.CLIENT_SECRET));
            @SuppressWarnings("unchecked")
            Map<String, Object> inList = (Map<String, Object>) TestApi.list(t.send("GET", USERS, token, null)).get(0).get(LINK);
            assertEquals(credentialId, inList.get("id"));
        }
    }

    @Test
    void put_withIdInBody_replacesUser_linkByIdOrMissingOrNull_keepsCredential() {
        try (TestApi t = TestApi.start()) {
            String token = t.ownerToken("o@farm.io");
            String user = t.createUser(token, "Ann", "ann@farm.io");
            String credentialId = attach(t, token, user);

            // Leaf's documented update: the whole user, id in the body, the credential linked by id.
            HttpResponse<String> replaced = t.send("PUT", USERS, token, "{\"id\":\"" + user + "\",\"name\":\"Ann B\","
                    + "\"email\":\"annb@farm.io\",\"" + LINK + "\":{\"id\":\"" + credentialId + "\"}}");
            assertEquals(200, replaced.statusCode(), replaced.body());
            Map<String, Object> answer = TestApi.map(replaced);
            assertEquals("Ann B", answer.get("name"));
            assertNull(answer.get("phone"));
            assertEquals(credentialId, ((Map<?, ?>) answer.get(LINK)).get("id"));

            // A GET answer sent back unchanged (masked secrets inside the link) is accepted and stores no mask.
            HttpResponse<String> roundTrip = t.send("PUT", USERS, token, t.send("GET", USERS + "/" + user, token, null).body());
            assertEquals(200, roundTrip.statusCode(), roundTrip.body());

            for (String body : List.of("{\"id\":\"" + user + "\",\"name\":\"Ann C\"}",
                    "{\"id\":\"" + user + "\",\"name\":\"Ann D\",\"" + LINK + "\":null}",
                    "{\"id\":\"" + user + "\",\"name\":\"Ann E\",\"" + LINK + "\":{},\"lindsayCredentials\":null}")) {
                HttpResponse<String> kept = t.send("PUT", USERS, token, body);
                assertEquals(200, kept.statusCode(), kept.body());
                assertEquals(credentialId, ((Map<?, ?>) TestApi.map(kept).get(LINK)).get("id"), body);
            }
            assertEquals(200, t.send("GET", USERS + "/" + user + "/" + SUFFIX, token, null).statusCode());
        }
    }

    @Test
    void put_linkToAnotherUsersOrOwnersCredential_answers400_storesNothing() {
        try (TestApi t = TestApi.start()) {
            String token = t.ownerToken("o@farm.io");
            String ann = t.createUser(token, "Ann", "ann@farm.io");
            String bob = t.createUser(token, "Bob", "bob@farm.io");
            String bobsCredential = attach(t, token, bob);
            String other = t.ownerToken("other@farm.io");
            String foreignCredential = attach(t, other, t.createUser(other, "Cy", "cy@farm.io"));

            for (String credential : List.of(bobsCredential, foreignCredential, java.util.UUID.randomUUID().toString())) {
                Map<String, Object> problem = TestApi.problem(t.send("PUT", USERS, token, "{\"id\":\"" + ann
                        + "\",\"name\":\"Changed\",\"" + LINK + "\":{\"id\":\"" + credential + "\"}}"), 400);
                assertEquals(LINK, problem.get("field"));
            }
            Map<String, Object> stored = TestApi.map(t.send("GET", USERS + "/" + ann, token, null));
            assertEquals("Ann", stored.get("name"));
            assertNull(stored.get(LINK));
            assertEquals(bobsCredential, ((Map<?, ?>) TestApi.map(t.send("GET", USERS + "/" + bob, token, null)).get(LINK)).get("id"));
            // The other owner's user itself: 404, as every foreign id.
            TestApi.problem(t.send("PUT", USERS, other, "{\"id\":\"" + ann + "\",\"name\":\"X\"}"), 404);
        }
    }

    @Test
    void put_badLinks_answer400() {
        try (TestApi t = TestApi.start()) {
            String token = t.ownerToken("o@farm.io");
            String user = t.createUser(token, "Ann", "ann@farm.io");
            for (String link : List.of("\"" + LINK + "\":\"abc\"", "\"" + LINK + "\":{\"id\":\"not-a-uuid\"}",
                    "\"marsCredentials\":null", "\"lindsayCredentials\":{\"id\":\"" + java.util.UUID.randomUUID() + "\"}")) {
                TestApi.problem(t.send("PUT", USERS, token, "{\"id\":\"" + user + "\",\"name\":\"X\"," + link + "}"), 400);
            }
            assertEquals("Ann", TestApi.map(t.send("GET", USERS + "/" + user, token, null)).get("name"));
        }
    }

    @Test
    void post_withLinkById_answers400SayingHow_withNullLinks_creates() {
        try (TestApi t = TestApi.start()) {
            String token = t.ownerToken("o@farm.io");
            String bob = t.createUser(token, "Bob", "bob@farm.io");
            String credential = attach(t, token, bob);

            Map<String, Object> problem = TestApi.problem(t.send("POST", USERS, token,
                    "{\"name\":\"Ann\",\"" + LINK + "\":{\"id\":\"" + credential + "\"}}"), 400);
            assertEquals(LINK, problem.get("field"));
            assertTrue(((String) problem.get("detail")).contains("existing user"), (String) problem.get("detail"));
            assertEquals("1", t.send("GET", USERS, token, null).headers().firstValue("X-Total-Count").orElseThrow());

            // Leaf's example resource shape: empty link objects.
            HttpResponse<String> created = t.send("POST", USERS, token, "{\"name\":\"Ann\",\"" + LINK + "\":{},\"valleyCredentials\":{}}");
            assertEquals(201, created.statusCode(), created.body());
            assertNull(TestApi.map(created).get(LINK));
        }
    }

    @Test
    void list_sortByName_ascAndDesc_badSortIs400() {
        try (TestApi t = TestApi.start()) {
            String token = t.ownerToken("o@farm.io");
            t.createUser(token, "Bob", "bob@farm.io");
            t.createUser(token, "Ann", "ann@farm.io");
            t.createUser(token, "Cy", "cy@farm.io");

            assertEquals(List.of("Ann", "Bob", "Cy"), names(t.send("GET", USERS + "?sort=name,asc", token, null)));
            assertEquals(List.of("Cy", "Bob", "Ann"), names(t.send("GET", USERS + "?sort=name,desc", token, null)));
            assertEquals(List.of("Ann", "Bob"), names(t.send("GET", USERS + "?sort=name&size=2", token, null)));
            assertEquals(List.of("Bob", "Ann", "Cy"), names(t.send("GET", USERS, token, null)));
            assertEquals(List.of("Cy", "Ann", "Bob"), names(t.send("GET", USERS + "?sort=createdDate,desc", token, null)));
            assertEquals("sort", TestApi.problem(t.send("GET", USERS + "?sort=password,asc", token, null), 400).get("field"));
            TestApi.problem(t.send("GET", USERS + "?sort=name,up", token, null), 400);
        }
    }

    private static List<Object> names(HttpResponse<String> answer) {
        assertEquals(200, answer.statusCode(), answer.body());
        return TestApi.list(answer).stream().map(u -> u.get("name")).toList();
    }
}
