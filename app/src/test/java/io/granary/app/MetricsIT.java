package io.granary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.testkit.FakeTokenServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /metrics and /health of the real jar, after a credential was attached and validated against a fake provider. */
final class MetricsIT {

    @TempDir
    Path dir;

    @Test
    void metrics_afterARefresh_showRequestsRefreshesProviderCallsCredentialsBacklogAndJvm() throws Exception {
        try (FakeTokenServer fake = new FakeTokenServer(4)) {
            Map<String, String> env = new HashMap<>(FakeProviderSetup.settings(fake));
            env.put("GRANARY_METRICS_SAMPLE_INTERVAL", "200ms");
            try (GranaryProcess granary = new GranaryProcess(dir.resolve("data"), env).start()) {
                ApiClient api = new ApiClient(granary.baseUrl()).login(GranaryProcess.ADMIN_EMAIL, GranaryProcess.ADMIN_PASSWORD);
                String userId = api.post("/services/usermanagement/api/users", "{\"name\":\"Ann\"}").json().get("id").asText();
                assertEquals(201, api.post(FakeProviderSetup.credentialPath(userId), FakeProviderSetup.credentialBody(fake.newGrant())).status());
                waitFor(() -> api.get(FakeProviderSetup.credentialPath(userId)).json().get("status").asText(), "VALID"::equals);

                ApiClient anonymous = new ApiClient(granary.baseUrl());
                assertEquals(200, anonymous.get("/health/live").status());
                assertEquals(200, anonymous.get("/health/ready").status());
                String text = waitFor(() -> anonymous.get("/metrics").body(),
                        t -> t.contains("granary_credentials{provider=\"Trimble\",status=\"VALID\"} 1"));
                assertTrue(text.contains("http_server_requests_seconds_count{method=\"GET\",route=\"/services/usermanagement/api/users/{userId}/{suffix}\",status=\"200\"}"), text);
                assertTrue(text.contains("http_server_requests_seconds_bucket{method=\"GET\",route=\"/services/usermanagement/api/users/{userId}/{suffix}\",status=\"200\",le=\"0.01\"}"), text);
                assertTrue(text.contains("granary_refreshes_seconds_count{outcome=\"VALID\",provider=\"Trimble\"} 1"), text);
                assertTrue(text.contains("granary_provider_requests_seconds_count{host=\"127.0.0.1\",status=\"2xx\"} 2"), text); // token + userinfo
                assertTrue(text.contains("granary_refresh_backlog "), text);
                assertTrue(text.contains("jvm_memory_used_bytes{"), text);
                assertTrue(text.contains("jvm_threads_live_threads "), text);
            }
        }
    }

    @Test
    void metrics_withToken_needBearer_andCanBeTurnedOff() throws Exception {
        try (GranaryProcess granary = new GranaryProcess(dir.resolve("a"), Map.of("GRANARY_METRICS_TOKEN", "scrape-me")).start()) {
            ApiClient anonymous = new ApiClient(granary.baseUrl());
            assertEquals(401, anonymous.get("/metrics").status());
            ApiClient.Answer answer = anonymous.send("GET", "/metrics", null, null);
            assertEquals(401, answer.status());
            java.net.http.HttpResponse<String> ok = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(granary.baseUrl() + "/metrics"))
                            .header("Authorization", "Bearer scrape-me").build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode());
        }
        try (GranaryProcess granary = new GranaryProcess(dir.resolve("b"), Map.of("GRANARY_METRICS_ENABLED", "false")).start()) {
            ApiClient anonymous = new ApiClient(granary.baseUrl());
            assertEquals(404, anonymous.get("/metrics").status());
            assertEquals(200, anonymous.get("/health/ready").status());
        }
    }

    interface Probe<T> {
        T get() throws Exception;
    }

    static <T> T waitFor(Probe<T> probe, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        T last = probe.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out; last seen: " + last);
            }
            Thread.sleep(50);
            last = probe.get();
        }
        return last;
    }
}
