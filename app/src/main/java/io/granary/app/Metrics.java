package io.granary.app;

import io.granary.core.service.AlertSender;
import io.granary.adapter.http.RequestObserver;
import io.granary.core.domain.CredentialStatus;
import io.granary.core.port.out.CredentialStore;
import io.granary.core.service.RefreshListener;
import io.granary.core.service.RefreshScheduler;
import io.granary.spi.ProviderHttp;
import io.granary.spi.ProviderRequest;
import io.granary.spi.ProviderResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything {@code GET /metrics} shows, on one Prometheus registry: HTTP requests, refreshes, provider calls,
 * credentials by status, scheduler backlog and the JVM. Histogram buckets are a fixed short list (not Micrometer's
 * ~70 percentile buckets) so a scrape stays small with many routes and providers.
 */
final class Metrics implements RequestObserver, RefreshListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Metrics.class);
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "granary-metrics-sampler");
        t.setDaemon(true);
        return t;
    });
    private final Meter.MeterProvider<Timer> httpTimers;
    private final Map<HttpSeries, Timer> httpTimerCache = new ConcurrentHashMap<>();
    private final Meter.MeterProvider<Timer> refreshTimers;
    private final Meter.MeterProvider<Timer> providerTimers;
    private final Counter answersFromMemory;

    Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        gc.bindTo(registry);
        httpTimers = timer("http.server.requests", "HTTP requests by route template and status").withRegistry(registry);
        refreshTimers = timer("granary.refreshes", "credential refreshes that called the provider, by outcome").withRegistry(registry);
        providerTimers = timer("granary.provider.requests", "outbound provider HTTP calls by host and status class").withRegistry(registry);
        answersFromMemory = Counter.builder("granary.http.answers.from.memory")
                .description("GET credential answers sent from memory, without reading the database").register(registry);
    }

    private static Timer.Builder timer(String name, String description) {
        return Timer.builder(name).description(description).serviceLevelObjectives(BUCKETS);
    }

    @Override
    public void requestFinished(String method, String route, int status, long nanos) {
        // Found by a plain map lookup: building tags and asking the registry cost more than the rest of a request
        // answered from memory. Bounded: routes are templates, methods and statuses few.
        // Any token is a valid method: a series for each would let clients grow the registry without bound.
        String seriesMethod = STANDARD_METHODS.contains(method) ? method : "OTHER";
        httpTimerCache.computeIfAbsent(new HttpSeries(seriesMethod, route, status), series ->
                        httpTimers.withTags("method", series.method(), "route", series.route(), "status", Integer.toString(series.status())))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    private static final Set<String> STANDARD_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private record HttpSeries(String method, String route, int status) { }

    @Override
    public void answeredFromMemory() {
        answersFromMemory.increment();
    }

    @Override
    public void refreshFinished(String providerId, CredentialStatus outcome, Duration took) {
        refreshTimers.withTags("provider", providerId, "outcome", outcome.name()).record(took);
    }

    /** Times every provider call; the tag is the host (bounded by the configured providers), never the path. */
    ProviderHttp instrument(ProviderHttp delegate) {
        return request -> {
            long start = System.nanoTime();
            String outcome = "error";
            try {
                ProviderResponse response = delegate.send(request);
                outcome = (response.status() / 100) + "xx";
                return response;
            } finally {
                providerTimers.withTags("host", host(request), "status", outcome)
                        .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        };
    }

    private static String host(ProviderRequest request) {
        String host = request.uri().getHost();
        return host == null ? "unknown" : host;
    }

    void watchBacklog(RefreshScheduler scheduler) {
        Gauge.builder("granary.refresh.backlog", scheduler, RefreshScheduler::backlog)
                .description("refreshes queued or running").register(registry);
    }

    /** Alert deliveries waiting in the outbox: a count over undelivered rows only, which stay few. */
    void watchAlertBacklog(AlertSender alerts) {
        Gauge.builder("granary.alerts.backlog", alerts, AlertSender::backlog)
                .description("webhook deliveries waiting to be sent or retried").register(registry);
    }

    /**
     * Credentials by provider and status, counted every {@code every} on a background thread: the count is a scan
     * of the whole table, too costly to run on every scrape with a million credentials.
     */
    void watchCredentials(CredentialStore store, Duration every) {
        MultiGauge gauge = MultiGauge.builder("granary.credentials").description("stored credentials by provider and status")
                .register(registry);
        sampler.scheduleWithFixedDelay(() -> {
            try {
                List<MultiGauge.Row<?>> rows = new ArrayList<>();
                for (Map.Entry<String, Map<CredentialStatus, Long>> provider : store.countByProviderAndStatus().entrySet()) {
                    for (CredentialStatus status : CredentialStatus.values()) {
                        long n = provider.getValue().getOrDefault(status, 0L);
                        rows.add(MultiGauge.Row.of(Tags.of("provider", provider.getKey(), "status", status.name()), n));
                    }
                }
                gauge.register(rows, true);
            } catch (RuntimeException e) {
                // Storage trouble shows in health and logs; keep the last counts and try again next time.
                LOG.warn("could not count credentials for metrics: {}", e.getClass().getSimpleName());
            }
        }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        sampler.shutdownNow();
        gc.close();
        registry.close();
    }
}
