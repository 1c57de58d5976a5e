package io.granary.adapter.http;

import static io.granary.adapter.http.TestApi.USERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.granary.core.domain.LeafUser;
import io.granary.core.domain.Page;
import io.granary.core.domain.PageRequest;
import io.granary.core.domain.UserFilter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Transport-level defences: slow and stalled clients, header limits, safety headers, request ids in logs, TLS. */
final class TransportHardeningTest {

    private static final Duration READ = Duration.ofMillis(1500);
    private static final Duration BODY = Duration.ofSeconds(2);

    @Test
    void post_whenClientTricklesBody_isCutOffAtTheBodyDeadline_andServerKeepsServing() throws Exception {
        try (TestApi t = TestApi.configured(b -> b.timeouts(READ, BODY))) {
            String token = t.ownerToken("slow@farm.io");
            long started = System.nanoTime();
            String answer;
            try (Socket socket = new Socket("127.0.0.1", t.api.port())) {
                socket.setSoTimeout(15_000);
                OutputStream out = socket.getOutputStream();
                String body = "{\"name\":\"" + "x".repeat(200) + "\"}";
                out.write(("POST " + USERS + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                // One byte every 200 ms: never silent long enough for the read timeout, far too slow overall.
                answer = trickle(socket, body.getBytes(StandardCharsets.US_ASCII), 200);
            }
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            assertTrue(seconds < 10, "cut off after " + seconds + " s");
            assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 408"), answer);
            assertNormalRequestWorks(t, token);
        }
    }

    @Test
    void post_whenClientStallsMidBody_isCutOffAtTheReadTimeout_andNothingIsStored() throws Exception {
        try (TestApi t = TestApi.configured(b -> b.timeouts(READ, Duration.ofSeconds(30)))) {
            String token = t.ownerToken("stall@farm.io");
            long started = System.nanoTime();
            String answer;
            try (Socket socket = new Socket("127.0.0.1", t.api.port())) {
                socket.setSoTimeout(15_000);
                OutputStream out = socket.getOutputStream();
                out.write(("POST " + USERS + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                        + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"name\":\"a")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                answer = readAll(socket.getInputStream());
            }
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            assertTrue(seconds < 10, "cut off after " + seconds + " s, not at the 1.5 s read timeout");
            assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 408"), answer);
            assertNormalRequestWorks(t, token);
        }
    }

    @Test
    void request_whenHeadersNeverFinish_isClosedAtTheReadTimeout() throws Exception {
        try (TestApi t = TestApi.configured(b -> b.timeouts(READ, BODY))) {
            long started = System.nanoTime();
            try (Socket socket = new Socket("127.0.0.1", t.api.port())) {
                socket.setSoTimeout(15_000);
                socket.getOutputStream().write("GET /api/authenticate HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                readAll(socket.getInputStream());
            }
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            assertTrue(seconds < 10, "slow-loris connection held for " + seconds + " s");
        }
    }

    @Test
    void request_withOversizedHeaders_isRefused_andServerKeepsServing() throws Exception {
        try (TestApi t = TestApi.start()) {
            String token = t.ownerToken("big@farm.io");
            String answer;
            try (Socket socket = new Socket("127.0.0.1", t.api.port())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(("GET " + USERS + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                        + "\r\nX-Big: " + "a".repeat(20 * 1024) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                answer = readAll(socket.getInputStream());
            }
            // Undertow's parser refuses before any handler runs: a bare 4xx or a closed connection, never a 200.
            assertTrue(answer.isEmpty() || answer.matches("(?s)HTTP/1.1 4\\d\\d.*"), answer);
            assertNormalRequestWorks(t, token);
        }
    }

    @Test
    void everyAnswer_carriesStrictContentSecurityPolicyAndNoReferrer() {
        try (TestApi t = TestApi.start()) {
            String token = t.ownerToken("headers@farm.io");
            for (HttpResponse<String> answer : List.of(
                    t.send("GET", USERS, token, null),
                    t.send("GET", "/nowhere", null, null),
                    t.send("POST", "/api/authenticate", null, "{\"username\":\"headers@farm.io\",\"password\":\"" + TestApi.PASSWORD + "\"}"),
                    t.send("POST", USERS, token, "{not json"))) {
                String csp = answer.headers().firstValue("Content-Security-Policy").orElseThrow();
                assertTrue(csp.startsWith("default-src 'none'") && csp.contains("frame-ancestors 'none'"), csp);
                assertEquals("no-referrer", answer.headers().firstValue("Referrer-Policy").orElseThrow());
                assertEquals("nosniff", answer.headers().firstValue("X-Content-Type-Options").orElseThrow());
                assertEquals("no-store", answer.headers().firstValue("Cache-Control").orElseThrow());
            }
        }
    }

    @Test
    void everyLogLine_writtenWhileServingARequest_carriesItsRequestId() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        try (TestApi t = TestApi.withUsers(real -> new DelegatingUsers(real) {
            @Override
            public Page<LeafUser> list(UUID ownerId, UserFilter filter, PageRequest page) {
                LoggerFactory.getLogger("io.granary.core.service.UserService").info("listing users"); // as a use case would
                throw new IllegalStateException("boom");
            }
        })) {
            String token = t.ownerToken("mdc@farm.io");
            Thread.sleep(200);
            appender.list.clear();
            HttpResponse<String> failed = t.send(t.request("GET", USERS, token, null).header("X-Request-Id", "req-mdc-1"));
            assertEquals(500, failed.statusCode());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (appender.list.stream().noneMatch(e -> e.getLoggerName().equals("io.granary.http.access")) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            List<ILoggingEvent> lines = List.copyOf(appender.list);
            assertTrue(lines.size() >= 3, "use case line, error line and access line expected: " + lines);
            for (ILoggingEvent line : lines) {
                assertEquals("req-mdc-1", line.getMDCPropertyMap().get("requestId"), line.getLoggerName() + ": " + line.getFormattedMessage());
            }
            // Pooled worker threads must not carry the id into unrelated work.
            appender.list.clear();
            t.send("GET", "/nowhere", null, null);
            Thread.sleep(200);
            appender.list.forEach(line -> assertFalse("req-mdc-1".equals(line.getMDCPropertyMap().get("requestId")), line.getFormattedMessage()));
        } finally {
            root.detachAppender(appender);
        }
    }

    @Test
    void tls_withPkcs12KeyStore_servesHttpsOnly(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("granary.p12");
        char[] password = "changeit-test".toCharArray();
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "granary", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", new String(password))
                .redirectErrorStream(true).start();
        String keytoolOutput = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, keytoolOutput);

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, password);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(keys.getKeyManagers(), null, null);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, trust.getTrustManagers(), null);

        try (TestApi t = TestApi.configured(b -> b.tls(server))) {
            HttpClient https = HttpClient.newBuilder().sslContext(client).connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> answer = https.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + t.api.port() + "/services/usermanagement/api/providers")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, answer.statusCode());
            assertNotNull(answer.sslSession().orElse(null));
            assertThrows(IOException.class, () -> t.client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + t.api.port() + "/services/usermanagement/api/providers"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()),
                    "plain HTTP must not be answered on the TLS port");
        }
    }

    private static void assertNormalRequestWorks(TestApi t, String token) {
        HttpResponse<String> list = t.send("GET", USERS, token, null);
        assertEquals(200, list.statusCode(), list.body());
        assertEquals("0", list.headers().firstValue("X-Total-Count").orElseThrow(), "nothing may have been stored");
    }

    /** Sends one byte at a time; returns whatever the server answered (empty if it just closed). */
    private static String trickle(Socket socket, byte[] body, long pauseMillis) throws IOException, InterruptedException {
        OutputStream out = socket.getOutputStream();
        for (byte b : body) {
            try {
                out.write(b);
                out.flush();
            } catch (IOException closed) {
                break; // the server gave up on us: that is the point
            }
            if (socket.getInputStream().available() > 0) {
                break;
            }
            Thread.sleep(pauseMillis);
        }
        return readAll(socket.getInputStream());
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            int n;
            while ((n = in.read(buffer)) != -1) {
                out.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server neither answered nor closed the connection", e);
        } catch (IOException reset) {
            // a reset is a close too
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
