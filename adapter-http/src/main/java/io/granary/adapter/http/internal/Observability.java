package io.granary.adapter.http.internal;

import io.granary.adapter.http.RequestObserver;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What operators watch: a request observer for metrics, the readiness check, and the Prometheus text.
 *
 * @param metrics      Prometheus text for {@code GET /metrics}, or null for no such route
 * @param metricsToken bearer token {@code /metrics} requires, or null for none
 */
public record Observability(RequestObserver observer, BooleanSupplier ready, Supplier<String> metrics, String metricsToken) {
}
