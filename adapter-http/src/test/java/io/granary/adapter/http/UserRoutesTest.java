package io.granary.adapter.http;

import static io.granary.adapter.http.TestApi.USERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class UserRoutesTest {

    private final TestApi t = TestApi.start();
    private final String token = t.ownerToken("owner@farm.io");

    @AfterEach
    void stop() {
        t.close();
    }

    @Test
    void post_createsUser_answers201WithLocationAndUser() {
        HttpResponse<String> answer = t.send("POST", USERS, token,
                "{\"name\":\"Ann\",\"email\":\"ann@farm.io\",\"phone\":\"+1 555\",\"address\":\"Main St\",\"externalId\":\"ext-1\"}");

        assertEquals(201, answer.statusCode(), answer.body());
        Map<String, Object> user = TestApi.map(answer);
        // Leaf's fields, then one credential link per provider served (none attached yet).
        assertEquals(List.of("id", "name", "email", "phone", "address", "externalId", "testOauthCredentials"),
                List.copyOf(user.keySet()));
        assertEquals("Ann", user.get("name"));
        assertEquals("ext-1", user.get("externalId"));
        assertEquals(USERS + "/" + user.get("id"), answer.headers().firstValue("Location").orElseThrow());
        assertEquals(user, TestApi.map(t.send("GET", USERS + "/" + user.get("id"), token, null)));
    }

    @Test
    void put_replacesWithIdInBodyOrPath_andPatchChangesOnlyGivenFields() {
        String id = t.createUser(token, "Ann", "ann@farm.io");

        HttpResponse<String> put = t.send("PUT", USERS, token,
                "{\"id\":\"" + id + "\",\"name\":\"Bea\",\"phone\":\"1\"}");
        assertEquals(200, put.statusCode(), put.body());
        assertEquals("Bea", TestApi.map(put).get("name"));
        assertNull(TestApi.map(put).get("email"), "full replace clears what is not sent");

        HttpResponse<String> putPath = t.send("PUT", USERS + "/" + id, token, "{\"name\":\"Cid\",\"email\":\"c@farm.io\"}");
        assertEquals("Cid", TestApi.map(putPath).get("name"));

        HttpResponse<String> patch = t.send("PATCH", USERS + "/" + id, token, "{\"phone\":\"42\"}");
        assertEquals(200, patch.statusCode(), patch.body());
        assertEquals("Cid", TestApi.map(patch).get("name"));
        assertEquals("c@farm.io", TestApi.map(patch).get("email"));
        assertEquals("42", TestApi.map(patch).get("phone"));
    }

    @Test
    void put_whenIdIsMissingOrDisagreesWithPath_answers400() {
        String id = t.createUser(token, "Ann", "ann@farm.io");
        String other = t.createUser(token, "Bea", "bea@farm.io");
        assertEquals("id", TestApi.problem(t.send("PUT", USERS, token, "{\"name\":\"X\"}"), 400).get("field"));
        assertEquals("id", TestApi.problem(t.send("PUT", USERS + "/" + id, token,
                "{\"id\":\"" + other + "\",\"name\":\"X\"}"), 400).get("field"));
        assertEquals("Bea", TestApi.map(t.send("GET", USERS + "/" + other, token, null)).get("name"));
    }

    @Test
    void delete_answers204_thenUserIsGone() {
        String id = t.createUser(token, "Ann", "ann@farm.io");
        HttpResponse<String> delete = t.send("DELETE", USERS + "/" + id, token, null);
        assertEquals(204, delete.statusCode());
        assertEquals("", delete.body());
        TestApi.problem(t.send("GET", USERS + "/" + id, token, null), 404);
        TestApi.problem(t.send("DELETE", USERS + "/" + id, token, null), 404);
    }

    @Test
    void list_answersBareArrayWithTotalCountAndLinks() {
        for (int i = 0; i < 5; i++) {
            t.createUser(token, "User " + i, "u" + i + "@farm.io");
        }
        HttpResponse<String> first = t.send("GET", USERS + "?size=2&name=ignored-if-absent", token, null);
        assertEquals(0, TestApi.list(first).size(), "filters are exact");

        HttpResponse<String> page0 = t.send("GET", USERS + "?size=2", token, null);
        assertEquals(2, TestApi.list(page0).size());
        assertEquals("5", page0.headers().firstValue("X-Total-Count").orElseThrow());
        String link0 = page0.headers().firstValue("Link").orElseThrow();
        assertTrue(link0.contains("<" + USERS + "?page=1&size=2>; rel=\"next\""), link0);
        assertTrue(link0.contains("<" + USERS + "?page=2&size=2>; rel=\"last\""), link0);
        assertTrue(link0.contains("<" + USERS + "?page=0&size=2>; rel=\"first\""), link0);
        assertFalse(link0.contains("rel=\"prev\""), link0);

        HttpResponse<String> page2 = t.send("GET", USERS + "?page=2&size=2", token, null);
        assertEquals(1, TestApi.list(page2).size());
        String link2 = page2.headers().firstValue("Link").orElseThrow();
        assertTrue(link2.contains("rel=\"prev\""), link2);
        assertFalse(link2.contains("rel=\"next\""), link2);

        HttpResponse<String> all = t.send("GET", USERS, token, null);
        assertEquals(5, TestApi.list(all).size());
    }

    @Test
    void list_withFilters_answersExactMatchesAndKeepsFiltersInLinks() {
        t.createUser(token, "Ann Lee", "ann@farm.io");
        t.createUser(token, "Bea", "bea@farm.io");
        HttpResponse<String> byName = t.send("GET", USERS + "?name=Ann%20Lee", token, null);
        List<Map<String, Object>> users = TestApi.list(byName);
        assertEquals(1, users.size());
        assertEquals("ann@farm.io", users.get(0).get("email"));
        assertEquals("1", byName.headers().firstValue("X-Total-Count").orElseThrow());
        assertTrue(byName.headers().firstValue("Link").orElseThrow().contains("name=Ann+Lee"));

        assertEquals(1, TestApi.list(t.send("GET", USERS + "?email=bea@farm.io", token, null)).size());
        assertEquals(0, TestApi.list(t.send("GET", USERS + "?email=Bea", token, null)).size());
    }

    @Test
    void list_withBadPagingParameters_answers400() {
        assertEquals("page", TestApi.problem(t.send("GET", USERS + "?page=-1", token, null), 400).get("field"));
        assertEquals("page", TestApi.problem(t.send("GET", USERS + "?page=x", token, null), 400).get("field"));
        assertEquals("size", TestApi.problem(t.send("GET", USERS + "?size=0", token, null), 400).get("field"));
        assertEquals("size", TestApi.problem(t.send("GET", USERS + "?size=101", token, null), 400).get("field"));
        assertEquals("sort", TestApi.problem(t.send("GET", USERS + "?sort=password", token, null), 400).get("field"));
        assertEquals(200, t.send("GET", USERS + "?size=100&sort=createdDate,desc", token, null).statusCode());
    }

    @Test
    void post_withInvalidField_answers400NamingTheField() {
        Map<String, Object> problem = TestApi.problem(t.send("POST", USERS, token, "{\"email\":\"not-an-email\"}"), 400);
        assertEquals("email", problem.get("field"));
        assertEquals("nickname", TestApi.problem(t.send("POST", USERS, token, "{\"nickname\":\"x\"}"), 400).get("field"));
        assertEquals("name", TestApi.problem(t.send("POST", USERS, token, "{\"name\":12}"), 400).get("field"));
    }
}
