package io.granary.adapter.http;

import static io.granary.adapter.http.TestApi.SUFFIX;
import static io.granary.adapter.http.TestApi.USERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One owner must not see, change or even detect another owner's users and credentials. */
final class CrossOwnerTest {

    private final TestApi t = TestApi.start();
    private final String alice = t.ownerToken("alice@farm.io");
    private final String mallory = t.ownerToken("mallory@farm.io");

    @AfterEach
    void stop() {
        t.close();
    }

    @Test
    void everyRoute_forAnotherOwnersUser_answers404AndChangesNothing() {
        String user = t.createUser(alice, "Ann", "ann@farm.io");
        String userPath = USERS + "/" + user;
        String credentialPath = userPath + "/" + SUFFIX;
        String credentialBody = "{\"clientId\":\"a\",\"clientSecret\":\"b\",\"refreshToken\":\"c\"}";
        assertEquals(201, t.send("POST", credentialPath, alice, credentialBody).statusCode());
        String userBefore = t.send("GET", userPath, alice, null).body();
        String credentialBefore = t.send("GET", credentialPath, alice, null).body();

        TestApi.problem(t.send("GET", userPath, mallory, null), 404);
        TestApi.problem(t.send("PUT", userPath, mallory, "{\"name\":\"Mallory\"}"), 404);
        TestApi.problem(t.send("PUT", USERS, mallory, "{\"id\":\"" + user + "\",\"name\":\"Mallory\"}"), 404);
        TestApi.problem(t.send("PATCH", userPath, mallory, "{\"name\":\"Mallory\"}"), 404);
        TestApi.problem(t.send("DELETE", userPath, mallory, null), 404);
        TestApi.problem(t.send("GET", credentialPath, mallory, null), 404);
        TestApi.problem(t.send("POST", credentialPath, mallory, credentialBody), 404);
        TestApi.problem(t.send("DELETE", credentialPath, mallory, null), 404);
        TestApi.problem(t.send("GET", credentialPath + "/events", mallory, null), 404);
        TestApi.problem(t.send("POST", credentialPath + "/refresh", mallory, null), 404);
        HttpResponse<String> list = t.send("GET", USERS, mallory, null);
        assertEquals("[]", list.body());
        assertEquals("0", list.headers().firstValue("X-Total-Count").orElseThrow());

        assertEquals(userBefore, t.send("GET", userPath, alice, null).body());
        assertEquals(credentialBefore, t.send("GET", credentialPath, alice, null).body());
        assertTrue(TestApi.list(t.send("GET", credentialPath + "/events", alice, null)).isEmpty(),
                "mallory's refresh must not have called the provider");
    }
}
