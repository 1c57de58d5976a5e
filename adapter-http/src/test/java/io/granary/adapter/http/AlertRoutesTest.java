package io.granary.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.service.AlertSender;
import io.granary.core.testing.FakeWebhookReceiver;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class AlertRoutesTest {

    private static final String WEBHOOKS = "/services/alerts/api/alerts/webhooks";
    private static final String SECRET = "webhook-secret-never-shown";

    private final TestApi t = TestApi.start();
    private final FakeWebhookReceiver receiver = new FakeWebhookReceiver();
    private final String alice = t.ownerToken("alice@farm.io");

    @AfterEach
    void stop() {
        receiver.close();
        t.close();
    }

    private String body(String name, String url, String secret, String... events) {
        return "{\"name\":\"" + name + "\",\"url\":\"" + url + "\",\"secret\":\"" + secret + "\",\"events\":["
                + String.join(",", List.of(events).stream().map(e -> "\"" + e + "\"").toList()) + "]}";
    }

    private HttpResponse<String> create(String token, String... events) {
        return t.send("POST", WEBHOOKS, token, body("ops", receiver.url("/hook").toString(), SECRET, events));
    }

    @Test
    void create_thenGetListDelete_neverShowTheSecret() {
        HttpResponse<String> created = create(alice, "credentialsUnauthenticated", "credentialsRecovered");

        assertEquals(201, created.statusCode(), created.body());
        Map<String, Object> webhook = TestApi.map(created);
        String id = (String) webhook.get("id");
        assertEquals("ops", webhook.get("name"));
        assertEquals(receiver.url("/hook").toString(), webhook.get("url"));
        assertEquals(List.of("credentialsUnauthenticated", "credentialsRecovered"), webhook.get("events"));
        assertEquals(WEBHOOKS + "/" + id, created.headers().firstValue("Location").orElseThrow());
        assertFalse(webhook.containsKey("secret"));
        HttpResponse<String> one = t.send("GET", WEBHOOKS + "/" + id, alice, null);
        assertEquals(webhook, TestApi.map(one));
        HttpResponse<String> list = t.send("GET", WEBHOOKS, alice, null);
        assertEquals(List.of(webhook), TestApi.list(list));
        for (HttpResponse<String> answer : List.of(created, one, list)) {
            assertFalse(answer.body().contains(SECRET));
        }

        assertEquals(204, t.send("DELETE", WEBHOOKS + "/" + id, alice, null).statusCode());
        TestApi.problem(t.send("GET", WEBHOOKS + "/" + id, alice, null), 404);
        TestApi.problem(t.send("DELETE", WEBHOOKS + "/" + id, alice, null), 404);
    }

    @Test
    void create_whenEventRegisteredByAnotherWebhook_answersEventRegisteredTwice() {
        assertEquals(201, create(alice, "credentialsUnauthenticated").statusCode());

        Map<String, Object> problem = TestApi.problem(create(alice, "credentialsRecovered", "credentialsUnauthenticated"), 400);

        assertTrue(((String) problem.get("type")).endsWith("eventRegisteredTwice"), problem.toString());
        assertEquals("events", problem.get("field"));
        assertEquals(1, TestApi.list(t.send("GET", WEBHOOKS, alice, null)).size());
    }

    @Test
    void create_withInvalidFields_answersProblemNamingTheFieldWithoutEchoingValues() {
        Map<String, String> bodies = Map.of(
                "url", body("ops", "ftp://hooks.example.com/x", SECRET, "credentialsRecovered"),
                "url ", body("ops", "https://user:" + SECRET + "@hooks.example.com/x", "another-long-secret", "credentialsRecovered"),
                "url  ", body("ops", "/relative", SECRET, "credentialsRecovered"),
                "secret", body("ops", "https://hooks.example.com/x", "short", "credentialsRecovered"),
                "events", body("ops", "https://hooks.example.com/x", SECRET, "fieldExploded"),
                "events ", body("ops", "https://hooks.example.com/x", SECRET),
                "name", body("", "https://hooks.example.com/x", SECRET, "credentialsRecovered"));
        bodies.forEach((field, body) -> {
            HttpResponse<String> answer = t.send("POST", WEBHOOKS, alice, body);
            Map<String, Object> problem = TestApi.problem(answer, 400);
            assertEquals(field.trim(), problem.get("field"), answer.body());
            assertEquals("about:blank", problem.get("type"));
            assertFalse(answer.body().contains(SECRET), answer.body());
        });
        assertEquals("[]", t.send("GET", WEBHOOKS, alice, null).body());
    }

    @Test
    void everyRoute_forAnotherOwnersWebhook_answers404AndChangesNothing() {
        String mallory = t.ownerToken("mallory@farm.io");
        String id = (String) TestApi.map(create(alice, "credentialsUnauthenticated")).get("id");

        TestApi.problem(t.send("GET", WEBHOOKS + "/" + id, mallory, null), 404);
        TestApi.problem(t.send("DELETE", WEBHOOKS + "/" + id, mallory, null), 404);
        assertEquals("[]", t.send("GET", WEBHOOKS, mallory, null).body());
        assertEquals("{\"items\":[]}", t.send("GET", WEBHOOKS + "/failed-calls", mallory, null).body());
        assertEquals(201, create(mallory, "credentialsUnauthenticated").statusCode(), "events are unique per owner only");

        assertEquals(200, t.send("GET", WEBHOOKS + "/" + id, alice, null).statusCode());
        TestApi.problem(t.send("GET", WEBHOOKS, null, null), 401);
        TestApi.problem(t.send("GET", WEBHOOKS + "/not-a-uuid", alice, null), 400);
    }

    @Test
    void failedCalls_listsAFailedConfirmationWithoutSecrets() throws Exception {
        receiver.failNext(1, 500).answerBody("x".repeat(5_000));
        create(alice, "credentialsLimitedPermission");
        try (AlertSender sender = new AlertSender(t.core.stores.outbox(), t.core.clock, "test",
                AlertSender.Settings.defaults().withPollInterval(Duration.ofMillis(50)), t.core.webhookDestinations).start()) {
            receiver.await(1, Duration.ofSeconds(5));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (sender.backlog() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }

        HttpResponse<String> answer = t.send("GET", WEBHOOKS + "/failed-calls", alice, null);

        assertEquals(200, answer.statusCode());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>) TestApi.map(answer).get("items");
        assertEquals(1, items.size());
        Map<String, Object> call = items.get(0);
        // Leaf's item shape, in Leaf's member order.
        assertEquals(List.of("apiOwner", "createdAt", "url", "status", "response", "requestBody", "connectionError"),
                List.copyOf(call.keySet()));
        assertEquals("alice@farm.io", call.get("apiOwner"));
        assertEquals(500, call.get("status"));
        assertEquals(receiver.url("/hook").toString(), call.get("url"));
        assertEquals("{\"message\":\"confirmation of webhook upon registration\"}", call.get("requestBody"));
        assertEquals(1024, ((String) call.get("response")).length(), "the answer is truncated");
        assertTrue(call.get("createdAt") instanceof String);
        assertNull(call.get("connectionError"));
        assertFalse(answer.body().contains(SECRET));
    }

    /** Leaf's own example registers a data event (https://docs.withleaf.io/api-reference/alerts). */
    @Test
    void create_withLeafDataEvents_storesAndListsThem_unknownNameIs400() {
        HttpResponse<String> created = create(alice, "fieldCreated", "credentialsUnauthenticated", "newSatelliteImage",
                "machineDeleted", "operationProcessingFinished");

        assertEquals(201, created.statusCode(), created.body());
        List<String> expected = List.of("credentialsUnauthenticated", "fieldCreated", "operationProcessingFinished",
                "newSatelliteImage", "machineDeleted");
        assertEquals(expected, TestApi.map(created).get("events"));
        assertEquals(expected, TestApi.list(t.send("GET", WEBHOOKS, alice, null)).get(0).get("events"));
        // Leaf's rule holds for data events too: one webhook per event.
        TestApi.problem(create(alice, "fieldCreated"), 400);

        for (String unknown : List.of("fieldExploded", "FieldCreated", "credentialsunauthenticated")) {
            Map<String, Object> problem = TestApi.problem(create(alice, unknown), 400);
            assertEquals("events", problem.get("field"));
        }
        assertEquals(1, TestApi.list(t.send("GET", WEBHOOKS, alice, null)).size());
    }

    /** With the production default (no GRANARY_WEBHOOK_ALLOW_PRIVATE): webhooks to private addresses are refused. */
    @Test
    void create_withUrlReachingAPrivateAddress_answersProblemAndStoresNothing() {
        try (TestApi refusing = TestApi.refusingPrivateWebhooks()) {
            String owner = refusing.ownerToken("alice@farm.io");
            List<String> urls = List.of(receiver.url("/hook").toString(), "http://169.254.169.254/latest/meta-data/",
                    "http://localhost:8080/hook", "http://[::1]/hook", "http://[::ffff:169.254.169.254]/", "https://10.0.0.8/hook");
            for (String url : urls) {
                HttpResponse<String> answer = refusing.send("POST", WEBHOOKS, owner,
                        body("ops", url, SECRET, "credentialsUnauthenticated"));

                Map<String, Object> problem = TestApi.problem(answer, 400);
                assertEquals("url", problem.get("field"), answer.body());
                assertEquals("urn:granary:problem:webhookDestinationRefused", problem.get("type"));
                assertTrue(((String) problem.get("detail")).contains("non-public address"), answer.body());
                assertFalse(answer.body().contains(SECRET), answer.body());
            }
            assertEquals("[]", refusing.send("GET", WEBHOOKS, owner, null).body());
            assertEquals(0, refusing.core.stores.outbox().backlog(), "no confirmation queued");
            assertEquals(List.of(), receiver.received());
        }
    }
}
