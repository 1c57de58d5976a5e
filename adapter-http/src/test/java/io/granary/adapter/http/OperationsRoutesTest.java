package io.granary.adapter.http;

import static io.granary.adapter.http.TestApi.USERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

final class OperationsRoutesTest {

    @Test
    void health_live_isAlwaysUp_andReadyFollowsTheCheck() {
        AtomicBoolean ready = new AtomicBoolean(true);
        try (TestApi t = TestApi.configured(b -> b.readiness(ready::get))) {
            assertEquals(200, t.send("GET", "/health/live", null, null).statusCode());
            assertEquals(200, t.send("GET", "/health/ready", null, null).statusCode());
            ready.set(false);
            TestApi.problem(t.send("GET", "/health/ready", null, null), 503);
            assertEquals(200, t.send("GET", "/health/live", null, null).statusCode());
        }
    }

    @Test
    void metrics_whenNotConfigured_isNotRouted() {
        try (TestApi t = TestApi.start()) {
            TestApi.problem(t.send("GET", "/metrics", null, null), 404);
        }
    }

    @Test
    void metrics_withoutToken_isOpenAndPrometheusText() {
        try (TestApi t = TestApi.configured(b -> b.metrics(() -> "granary_up 1\n", null))) {
            HttpResponse<String> answer = t.send("GET", "/metrics", null, null);
            assertEquals(200, answer.statusCode());
            assertEquals("granary_up 1\n", answer.body());
            assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        }
    }

    @Test
    void metrics_withToken_refusesMissingOrWrongBearer() {
        try (TestApi t = TestApi.configured(b -> b.metrics(() -> "granary_up 1\n", "scrape-secret"))) {
            TestApi.problem(t.send("GET", "/metrics", null, null), 401);
            TestApi.problem(t.send("GET", "/metrics", "scrape-secreT", null), 401);
            // An owner's API token is not the metrics token.
            TestApi.problem(t.send("GET", "/metrics", t.ownerToken("owner@farm.io"), null), 401);
            assertEquals(200, t.send("GET", "/metrics", "scrape-secret", null).statusCode());
        }
    }

    @Test
    void observer_seesRouteTemplateNotRawPath() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (TestApi t = TestApi.configured(b -> b.requestObserver((m, route, status, nanos) -> {
            assertTrue(nanos > 0);
            seen.add(m + " " + route + " " + status);
        }))) {
            String token = t.ownerToken("owner@farm.io");
            String id = t.createUser(token, "Ann", "ann@farm.io");
            t.send("GET", USERS + "/" + id, token, null);
            t.send("GET", "/no/such/path", token, null);
            // Completion listeners run after the answer was sent: wait briefly for the last one.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (seen.size() < 4 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
        assertTrue(seen.contains("GET /services/usermanagement/api/users/{userId} 200"), seen.toString());
        assertTrue(seen.contains("GET UNMATCHED 404"), seen.toString());
        assertTrue(seen.stream().noneMatch(s -> s.matches(".*[0-9a-f]{8}-[0-9a-f]{4}.*")), seen.toString());
    }
}
