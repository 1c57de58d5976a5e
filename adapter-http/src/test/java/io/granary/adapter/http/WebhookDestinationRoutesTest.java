package io.granary.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.testing.FakeWebhookReceiver;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** With the production default (no GRANARY_WEBHOOK_ALLOW_PRIVATE): webhooks to private addresses are refused. */
final class WebhookDestinationRoutesTest {

    private static final String WEBHOOKS = "/services/alerts/api/alerts/webhooks";
    private static final String SECRET = "webhook-secret-never-shown";

    private final TestApi t = TestApi.refusingPrivateWebhooks();
    private final FakeWebhookReceiver receiver = new FakeWebhookReceiver();
    private final String alice = t.ownerToken("alice@farm.io");

    @AfterEach
    void stop() {
        receiver.close();
        t.close();
    }

    @Test
    void create_withUrlReachingAPrivateAddress_answersProblemAndStoresNothing() {
        List<String> urls = List.of(receiver.url("/hook").toString(), "http://169.254.169.254/latest/meta-data/",
                "http://localhost:8080/hook", "http://[::1]/hook", "http://[::ffff:169.254.169.254]/", "https://10.0.0.8/hook");
        for (String url : urls) {
            HttpResponse<String> answer = t.send("POST", WEBHOOKS, alice, "{\"name\":\"ops\",\"url\":\"" + url
                    + "\",\"secret\":\"" + SECRET + "\",\"events\":[\"credentialsUnauthenticated\"]}");

            Map<String, Object> problem = TestApi.problem(answer, 400);
            assertEquals("url", problem.get("field"), answer.body());
            assertEquals("urn:granary:problem:webhookDestinationRefused", problem.get("type"));
            assertTrue(((String) problem.get("detail")).contains("non-public address"), answer.body());
            assertFalse(answer.body().contains(SECRET), answer.body());
        }
        assertEquals("[]", t.send("GET", WEBHOOKS, alice, null).body());
        assertEquals(0, t.core.stores.outbox().backlog(), "no confirmation queued");
        assertEquals(List.of(), receiver.received());
    }
}
