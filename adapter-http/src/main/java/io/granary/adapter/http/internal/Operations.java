package io.granary.adapter.http.internal;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Unauthenticated operations routes: liveness, readiness and, if enabled, Prometheus metrics (optionally behind a
 * static bearer token that is unrelated to API owners, so a scraper needs no owner account).
 */
final class Operations {

    private final Json json;
    private final BooleanSupplier ready;
    private final Supplier<String> metrics;
    private final byte[] metricsToken;

    /**
     * @param metrics      Prometheus text, or null to leave {@code /metrics} unrouted
     * @param metricsToken required as {@code Authorization: Bearer} on {@code /metrics}, or null for none
     */
    Operations(Json json, BooleanSupplier ready, Supplier<String> metrics, String metricsToken) {
        this.json = json;
        this.ready = ready;
        this.metrics = metrics;
        this.metricsToken = metricsToken == null ? null : metricsToken.getBytes(StandardCharsets.UTF_8);
    }

    void register(Router router) {
        router.add("GET", "/health/live", e -> json.send(e, 200, Map.of("status", "UP")));
        router.add("GET", "/health/ready", this::ready);
        if (metrics != null) {
            router.add("GET", "/metrics", this::metrics);
        }
    }

    private void ready(HttpServerExchange exchange) {
        if (!ready.getAsBoolean()) {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, "5");
            Envelope.problem(json, exchange, 503, "not ready: storage or providers unavailable", null);
            return;
        }
        json.send(exchange, 200, Map.of("status", "UP"));
    }

    private void metrics(HttpServerExchange exchange) {
        if (metricsToken != null) {
            String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
            byte[] presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? header.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
            if (!MessageDigest.isEqual(presented, metricsToken)) { // constant time
                throw Problem.unauthorized("a valid metrics bearer token is required");
            }
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        exchange.getResponseSender().send(metrics.get(), StandardCharsets.UTF_8);
    }
}
