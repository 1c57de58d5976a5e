package io.granary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.testkit.FakeTokenServer;
import io.granary.core.testing.FakeWebhookReceiver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar: an alert whose first attempt failed is delivered by the next run after a restart; and by
 * default, webhooks to private addresses are refused.
 */
final class WebhookDeliveryIT {

    private static final String SECRET = "it-webhook-secret";

    @TempDir
    Path dir;

    @Test
    void alert_queuedBeforeRestart_isDeliveredOnceAfterIt() throws Exception {
        try (FakeTokenServer provider = new FakeTokenServer(); FakeWebhookReceiver receiver = new FakeWebhookReceiver()) {
            String grant = provider.newGrant();
            provider.revoke(grant);
            receiver.failNext(2, 503); // the confirmation and the alert's first attempt
            Map<String, String> settings = Map.of(
                    "GRANARY_PROVIDER_TRIMBLE_PRODUCTION_TOKEN_URL", provider.tokenUrl(),
                    "GRANARY_PROVIDER_TRIMBLE_PRODUCTION_API_URL", provider.baseUrl(),
                    "GRANARY_WEBHOOK_RETRY_DELAYS", "4s,4s",
                    "GRANARY_WEBHOOK_POLL", "200ms",
                    "GRANARY_WEBHOOK_ALLOW_PRIVATE", "true"); // the receiver listens on loopback
            Path data = dir.resolve("data");
            try (GranaryProcess granary = new GranaryProcess(data, settings).start()) {
                ApiClient api = new ApiClient(granary.baseUrl()).login(GranaryProcess.ADMIN_EMAIL, GranaryProcess.ADMIN_PASSWORD);
                assertEquals(201, api.post("/services/alerts/api/alerts/webhooks", "{\"name\":\"ops\",\"url\":\""
                        + receiver.url("/hook") + "\",\"secret\":\"" + SECRET + "\",\"events\":[\"credentialsUnauthenticated\"]}").status());
                String user = api.post("/services/usermanagement/api/users", "{\"name\":\"Grower\"}").json().get("id").asText();
                assertEquals(201, api.post("/services/usermanagement/api/users/" + user + "/trimble-credentials",
                        "{\"clientId\":\"" + FakeTokenServer.CLIENT_ID + "\",\"clientSecret\":\"" + FakeTokenServer.CLIENT_SECRET
                                + "\",\"refreshToken\":\"" + grant + "\"}").status());
                receiver.await(2, Duration.ofSeconds(30)); // confirmation, then the alert's failed first attempt
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (api.get("/services/alerts/api/alerts/webhooks/failed-calls").json().get("items").size() < 2
                        && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertEquals(2, api.get("/services/alerts/api/alerts/webhooks/failed-calls").json().get("items").size());
                granary.stop(); // SIGTERM: the JVM exits 143 after the shutdown hook ran
            }
            assertEquals(2, receiver.received().size(), "the retry is not due before the restart");

            try (GranaryProcess again = new GranaryProcess(data, settings).start()) {
                List<FakeWebhookReceiver.Received> calls = receiver.await(3, Duration.ofSeconds(30));
                Thread.sleep(1_000);
                assertEquals(3, receiver.received().size(), "delivered once");
                FakeWebhookReceiver.Received first = calls.get(1);
                FakeWebhookReceiver.Received retry = calls.get(2);
                assertTrue(retry.body().contains("\"type\":\"credentialsUnauthenticated\""), retry.body());
                assertTrue(retry.body().contains("\"credential\":\"TrimbleCredentials\""), retry.body());
                assertEquals(first.header("webhook-id"), retry.header("webhook-id"));
                assertTrue(retry.signedWith(SECRET));
                assertTrue(!again.log().contains(SECRET), "the secret is never logged");
            }
        }
    }

    @Test
    void register_withDefaultSettings_refusesLoopbackAndMetadataAddresses() throws Exception {
        try (FakeWebhookReceiver receiver = new FakeWebhookReceiver();
             GranaryProcess granary = new GranaryProcess(dir.resolve("data"), Map.of("GRANARY_WEBHOOK_POLL", "200ms")).start()) {
            ApiClient api = new ApiClient(granary.baseUrl()).login(GranaryProcess.ADMIN_EMAIL, GranaryProcess.ADMIN_PASSWORD);
            for (String url : List.of(receiver.url("/hook").toString(), "http://169.254.169.254/latest/meta-data/")) {
                ApiClient.Answer answer = api.post("/services/alerts/api/alerts/webhooks", "{\"name\":\"ops\",\"url\":\""
                        + url + "\",\"secret\":\"" + SECRET + "\",\"events\":[\"credentialsUnauthenticated\"]}");

                assertEquals(400, answer.status(), answer.raw().body());
                assertTrue(answer.header("Content-Type").startsWith("application/problem+json"));
                assertEquals("urn:granary:problem:webhookDestinationRefused", answer.json().get("type").asText());
            }
            assertEquals(0, api.get("/services/alerts/api/alerts/webhooks").json().size(), "nothing stored");
            Thread.sleep(500); // room for a wrong confirmation to show up
            assertEquals(List.of(), receiver.received());
        }
    }
}
