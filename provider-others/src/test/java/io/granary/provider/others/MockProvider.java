package io.granary.provider.others;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.granary.spi.JdkProviderHttp;
import io.granary.spi.EndpointKind;
import io.granary.spi.Environment;
import io.granary.testkit.FakeRefreshContext;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/** A MockWebServer plus the real JDK client, for the non-OAuth providers' matrices. */
final class MockProvider implements AutoCloseable {

    static final Instant NOW = Instant.parse("2026-03-19T10:15:30Z");
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);

    private final MockWebServer server = new MockWebServer();
    private final JdkProviderHttp http = new JdkProviderHttp(Duration.ofSeconds(1), REQUEST_TIMEOUT);

    MockProvider() {
        try {
            server.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start MockWebServer", e);
        }
    }

    String url(String path) {
        return server.url(path).toString();
    }

    /** A context whose TOKEN_URL and API_URL point at the given paths on this server. */
    FakeRefreshContext context(Environment environment, String tokenPath, String apiPath) {
        return new FakeRefreshContext(environment, http, NOW)
                .endpoint(EndpointKind.TOKEN_URL, url(tokenPath))
                .endpoint(EndpointKind.API_URL, url(apiPath));
    }

    void enqueue(MockResponse response) {
        server.enqueue(response);
    }

    void enqueueJson(int status, String body) {
        server.enqueue(json(status, body));
    }

    void enqueueStatus(int status) {
        server.enqueue(new MockResponse.Builder().code(status).build());
    }

    void enqueueRateLimit(String retryAfter) {
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", retryAfter).build());
    }

    /** An answer that arrives well after the client's request timeout. */
    void enqueueTooSlow() {
        server.enqueue(new MockResponse.Builder()
                .headersDelay(REQUEST_TIMEOUT.toMillis() * 3, TimeUnit.MILLISECONDS)
                .code(200).body("{}").build());
    }

    static MockResponse json(int status, String body) {
        return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body).build();
    }

    RecordedRequest take() {
        try {
            RecordedRequest request = server.takeRequest(2, TimeUnit.SECONDS);
            assertNotNull(request, "expected a request within 2 s");
            return request;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    int requestCount() {
        return server.getRequestCount();
    }

    static String body(RecordedRequest request) {
        return request.getBody() == null ? "" : request.getBody().utf8();
    }

    /** Fails if any of the secrets occurs in the text (exception or status message). */
    static void assertNoSecretIn(String text, String... secrets) {
        if (text == null) {
            return;
        }
        for (String secret : secrets) {
            assertFalse(text.contains(secret), "a secret leaked into a message");
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
