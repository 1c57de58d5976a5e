package io.granary.core.testing;

import com.sun.net.httpserver.HttpServer;
import io.granary.core.service.WebhookSigner;
import io.granary.testkit.LoopbackHttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver on the JDK's HTTP server: records every POST, and answers {@code failStatus} to the first
 * {@code failFirst} of them, 200 after.
 */
public final class FakeWebhookReceiver implements AutoCloseable {

    /** One request as received. */
    public record Received(Instant at, String path, Map<String, List<String>> headers, String body) {

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        /** True if both the Leaf and the Standard Webhooks signatures match this secret. */
        public boolean signedWith(String secret) {
            String id = header(WebhookSigner.WEBHOOK_ID);
            String timestamp = header(WebhookSigner.WEBHOOK_TIMESTAMP);
            return id != null && timestamp != null
                    && WebhookSigner.hmac(secret, body).equals(header(WebhookSigner.LEAF_SIGNATURE))
                    && ("v1," + WebhookSigner.hmac(secret, id + "." + timestamp + "." + body)).equals(header(WebhookSigner.WEBHOOK_SIGNATURE));
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(16);
    private final List<Received> received = new ArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile int failStatus = 500;
    private volatile String answerBody = "ok";
    private volatile java.util.concurrent.CountDownLatch held;

    public FakeWebhookReceiver() {
        try {
            server = LoopbackHttpServer.create(64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            java.util.concurrent.CountDownLatch gate = held;
            if (gate != null) {
                try {
                    gate.await(60, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                // Unrecorded, answered 503: a live sender records a failure and retries; a dead one never reads it.
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            // Decided before the request is visible to waiting tests, so a failNext() after await() affects later calls only.
            boolean fail = failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
            synchronized (received) {
                received.add(new Received(Instant.now(), exchange.getRequestURI().getPath(),
                        Map.copyOf(exchange.getRequestHeaders()), body));
                received.notifyAll();
            }
            byte[] answer = (fail ? "receiver says no: " + answerBody : answerBody).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(fail ? failStatus : 200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /**
     * Holds every request that arrives from now on, unanswered, until {@link #releaseDroppingHeld}; for killing a
     * sender while deliveries are on their way, without one being answered 2xx to a dead sender.
     */
    public void hold() {
        held = new java.util.concurrent.CountDownLatch(1);
    }

    /** Answers the held requests 503; they are not among {@link #received}. Later requests are served again. */
    public void releaseDroppingHeld() {
        java.util.concurrent.CountDownLatch gate = held;
        held = null;
        if (gate != null) {
            gate.countDown();
        }
    }

    /** Answers {@code status} to the next {@code n} requests. */
    public FakeWebhookReceiver failNext(int n, int status) {
        failStatus = status;
        failuresLeft.set(n);
        return this;
    }

    public FakeWebhookReceiver answerBody(String body) {
        answerBody = body;
        return this;
    }

    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** Waits until at least {@code count} requests arrived; returns them all. */
    public List<Received> await(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (received) {
            while (received.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + count + " webhook calls within " + timeout + ", got " + received.size());
                }
                received.wait(Math.max(1, left / 1_000_000));
            }
            return List.copyOf(received);
        }
    }

    /** Received by path (each webhook registers its own path in tests). */
    public List<Received> receivedAt(String path) {
        return received().stream().filter(r -> r.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** A list copy helper for tests that compare bodies. */
    public static List<String> bodies(List<Received> calls) {
        return new ArrayList<>(calls.stream().map(Received::body).toList());
    }
}
