package io.granary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

final class MetricsTest {

    private static final String ROUTE = "/services/usermanagement/api/users/{userId}/{suffix}";

    @Test
    void requests_areCountedPerMethodRouteAndStatus_andUnusualMethodsShareOneSeries() {
        try (Metrics metrics = new Metrics()) {
            metrics.requestFinished("GET", ROUTE, 200, 1_000_000);
            metrics.requestFinished("GET", ROUTE, 200, 2_000_000);
            metrics.requestFinished("GET", ROUTE, 404, 1_000_000);
            for (int i = 0; i < 50; i++) {
                metrics.requestFinished("X-METHOD-" + i, "UNMATCHED", 405, 1_000);
            }
            String text = metrics.scrape();
            assertTrue(text.contains("http_server_requests_seconds_count{method=\"GET\",route=\"" + ROUTE + "\",status=\"200\"} 2"), text);
            assertTrue(text.contains("http_server_requests_seconds_count{method=\"GET\",route=\"" + ROUTE + "\",status=\"404\"} 1"), text);
            assertTrue(text.contains("http_server_requests_seconds_count{method=\"OTHER\",route=\"UNMATCHED\",status=\"405\"} 50"), text);
            assertFalse(text.contains("X-METHOD-"), "a client's made-up methods must not become series");
            assertEquals(3, text.lines().filter(l -> l.startsWith("http_server_requests_seconds_count{")).count());
        }
    }
}
