package io.granary.core.service;

import io.granary.core.domain.FailedCall;
import io.granary.core.domain.WebhookDelivery;
import io.granary.core.port.out.AlertOutbox;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers the alert outbox: claims due deliveries with a lease in the database (so processes sharing it never
 * send one at once), POSTs them signed, and records the outcome there, so that a restart resumes where it stopped.
 * A non-2xx answer, a timeout or a connection failure is retried after each of {@link Settings#retryDelays()} in
 * turn, then given up; every failed attempt is kept as a failed call. Before every attempt the
 * {@link WebhookDestinationGuard} is asked again: a URL whose host now resolves to a non-public address is not
 * called, and that counts as a failed attempt. At-least-once: a crash between a receiver's
 * 2xx and the write that marks it delivered sends it again after the lease, with the same {@code webhook-id}.
 */
public final class AlertSender implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(AlertSender.class.getName());
    private static final Duration PURGE_EVERY = Duration.ofHours(1);
    static final int MAX_RESPONSE_CHARS = 1024;

    /**
     * @param retryDelays    waits before the 2nd, 3rd, ... attempt (Leaf: 1, 30, 60 and 240 minutes)
     * @param lease          how long a claimed delivery is reserved; must outlast one attempt
     * @param pollInterval   longest sleep between looks at the outbox
     * @param connectTimeout to the receiver
     * @param requestTimeout for the whole attempt, answer included
     * @param concurrency    attempts in flight at once
     * @param retention      how long failed calls and finished deliveries are kept
     */
    public record Settings(List<Duration> retryDelays, Duration lease, Duration pollInterval, Duration connectTimeout,
                           Duration requestTimeout, int concurrency, Duration retention) {

        public Settings {
            retryDelays = List.copyOf(retryDelays);
            if (retryDelays.stream().anyMatch(d -> d.isNegative())) {
                throw new IllegalArgumentException("webhook retry delays must not be negative");
            }
            if (concurrency < 1) {
                throw new IllegalArgumentException("webhook concurrency must be at least 1");
            }
            if (connectTimeout.plus(requestTimeout).compareTo(lease) >= 0) {
                throw new IllegalArgumentException("the webhook lease must be longer than the connect and request timeouts together");
            }
        }

        public static Settings defaults() {
            return new Settings(List.of(Duration.ofMinutes(1), Duration.ofMinutes(30), Duration.ofMinutes(60), Duration.ofMinutes(240)),
                    Duration.ofMinutes(2), Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(15), 4, Duration.ofDays(30));
        }

        public Settings withRetryDelays(List<Duration> delays) {
            return new Settings(delays, lease, pollInterval, connectTimeout, requestTimeout, concurrency, retention);
        }

        public Settings withPollInterval(Duration poll) {
            return new Settings(retryDelays, lease, poll, connectTimeout, requestTimeout, concurrency, retention);
        }
    }

    private final AlertOutbox outbox;
    private final Clock clock;
    private final String claimant;
    private final Settings settings;
    private final WebhookDestinationGuard destinations;
    private final HttpClient client;
    private final DuePoller<WebhookDelivery> poller;
    private final AtomicLong attempts = new AtomicLong();

    public AlertSender(AlertOutbox outbox, Clock clock, String claimant, Settings settings, WebhookDestinationGuard destinations) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.claimant = Objects.requireNonNull(claimant, "claimant");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.destinations = Objects.requireNonNull(destinations, "destinations");
        // No redirects: a 3xx is a failed delivery, never a reason to send signed alerts somewhere else (nor a way
        // around the destination guard: a public receiver answering 302 to 169.254.169.254 gets nothing followed).
        this.client = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        DuePoller.Source<WebhookDelivery> due = new DuePoller.Source<>() {
            private Instant lastPurge = Instant.MIN;

            @Override
            public List<WebhookDelivery> due(Instant now, int limit) {
                // The poller asks for its free workers plus those busy (right for a read like findDue); a claim
                // leases, and the busy workers' deliveries are leased already: claim only what can be sent now.
                return outbox.claimDue(now, claimant, now.plus(settings.lease()), Math.min(limit, poller.freeWorkers()));
            }

            @Override
            public Optional<Instant> earliestDue() {
                return outbox.earliestDue();
            }

            @Override
            public void housekeeping(Instant now) {
                if (lastPurge.plus(PURGE_EVERY).isBefore(now)) {
                    int purged = outbox.purgeOlderThan(now.minus(settings.retention()));
                    if (purged > 0) {
                        LOG.log(System.Logger.Level.INFO, "purged {0} webhook delivery records older than {1}", purged, settings.retention());
                    }
                    lastPurge = now;
                }
            }
        };
        // An attempt that fails with an exception keeps its lease, which runs out, and it is tried again.
        this.poller = new DuePoller<>("granary-webhook", settings.concurrency(), settings.pollInterval(),
                settings.requestTimeout().plusSeconds(5), clock, due, this::deliver, WebhookDelivery::id);
    }

    /** Releases leases this claimant's previous life left behind, then starts sending. */
    public synchronized AlertSender start() {
        if (poller.isRunning()) {
            return this;
        }
        int released = outbox.releaseLeases(claimant);
        if (released > 0) {
            LOG.log(System.Logger.Level.WARNING, "resuming {0} webhook deliveries interrupted by the previous shutdown", released);
        }
        poller.start();
        return this;
    }

    /** Look at the outbox now rather than at the next poll. */
    public void wake() {
        poller.wake();
    }

    /** Deliveries waiting to be sent or retried, across all processes sharing the database. */
    public long backlog() {
        return outbox.backlog();
    }

    /** Delivery attempts made by this process so far. */
    public long attemptsMade() {
        return attempts.get();
    }

    /** One attempt, its outcome written to the outbox. */
    void deliver(WebhookDelivery delivery) {
        attempts.incrementAndGet();
        int attempt = delivery.attempts() + 1;
        // Again at every attempt, not only at registration: the host's DNS may have changed since (DNS rebinding).
        // Known gap (TOCTOU): the HTTP client resolves the host once more when it connects, and java.net.http offers
        // no way to hand it the checked address. Both lookups go through the JVM's address cache (30 s by default,
        // whatever TTL the DNS answer had), so a rebinding must land exactly between them, which is narrow but open.
        Optional<String> refusal = destinations.refusal(delivery.url());
        if (refusal.isPresent()) {
            LOG.log(System.Logger.Level.WARNING, "did not send alert {0} to webhook {1}: {2}",
                    delivery.alertId(), delivery.webhookId(), refusal.get());
            recordFailure(delivery, attempt, null, null, "not sent: " + refusal.get());
            return;
        }
        Instant started = clock.instant();
        Map<String, String> signatures = WebhookSigner.headers(delivery.secret(), delivery.id().toString(),
                started.getEpochSecond(), delivery.body());
        HttpRequest.Builder request = HttpRequest.newBuilder(delivery.url())
                .timeout(settings.requestTimeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "Granary-Webhooks/1")
                .POST(HttpRequest.BodyPublishers.ofString(delivery.body(), StandardCharsets.UTF_8));
        signatures.forEach(request::header);

        Integer status = null;
        String response = null;
        String connectionError = null;
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        // The answer is read only up to a cap: a receiver cannot make us buffer a large body.
        CompletableFuture<HttpResponse<Void>> call = client.sendAsync(request.build(),
                HttpResponse.BodyHandlers.ofByteArrayConsumer(chunk -> chunk.ifPresent(bytes -> {
                    synchronized (answer) {
                        int room = MAX_RESPONSE_CHARS * 4 - answer.size();
                        if (room > 0) {
                            answer.write(bytes, 0, Math.min(room, bytes.length));
                        }
                    }
                })));
        try {
            // Bounds the body too, which the request timeout alone does not.
            status = call.get(settings.requestTimeout().toMillis() + 1_000, TimeUnit.MILLISECONDS).statusCode();
        } catch (TimeoutException e) {
            call.cancel(true);
            connectionError = "timed out";
        } catch (ExecutionException e) {
            connectionError = describe(e.getCause());
        } catch (InterruptedException e) {
            // Shutting down: the lease runs out and another run tries again.
            Thread.currentThread().interrupt();
            call.cancel(true);
            return;
        }
        if (status != null && status >= 200 && status < 300) {
            outbox.markDelivered(delivery.id(), claimant, clock.instant());
            return;
        }
        if (status != null) {
            synchronized (answer) {
                String text = answer.toString(StandardCharsets.UTF_8);
                response = text.length() > MAX_RESPONSE_CHARS ? text.substring(0, MAX_RESPONSE_CHARS) : text;
            }
        }
        recordFailure(delivery, attempt, status, response, connectionError);
    }

    /** Keeps the failed call, and schedules the next attempt or gives up. */
    private void recordFailure(WebhookDelivery delivery, int attempt, Integer status, String response, String connectionError) {
        Instant now = clock.instant();
        Instant next = delivery.retries() && attempt <= settings.retryDelays().size()
                ? now.plus(settings.retryDelays().get(attempt - 1)) : null;
        FailedCall failed = new FailedCall(delivery.ownerId(), delivery.webhookId(), now, delivery.url().toString(), status,
                response, delivery.body(), connectionError);
        outbox.recordFailure(delivery.id(), claimant, failed, next);
        if (next == null) {
            LOG.log(System.Logger.Level.WARNING, "gave up delivering alert {0} to webhook {1} after {2} attempts",
                    delivery.alertId(), delivery.webhookId(), attempt);
        }
    }

    /** A fixed description by exception type: messages may echo the URL, which may carry tokens. */
    private static String describe(Throwable cause) {
        if (cause instanceof HttpConnectTimeoutException) {
            return "connect timed out";
        }
        if (cause instanceof HttpTimeoutException) {
            return "timed out";
        }
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        if (cause instanceof IOException) {
            return "I/O error (" + cause.getClass().getSimpleName() + ")";
        }
        return "failed (" + (cause == null ? "unknown" : cause.getClass().getSimpleName()) + ")";
    }

    /** Stops claiming and waits for attempts in flight to record their outcome. */
    @Override
    public void close() {
        poller.close();
    }
}
