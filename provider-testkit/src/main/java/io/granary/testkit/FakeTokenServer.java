package io.granary.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small OAuth 2.0 authorization server on the JDK's HTTP server, for end-to-end tests and benchmarks.
 * It rotates refresh tokens on every use, keeps a used token valid for a grace period (as Okta and Cognito
 * do), revokes grants on demand, and can be switched to answer an error status, to answer slowly, or to
 * misbehave ({@link Fault}).
 *
 * <p>{@code POST /token} (Basic client auth), {@code GET /userinfo} (Bearer) and {@code POST /revoke} (RFC 7009,
 * Basic client auth).
 */
public final class FakeTokenServer implements AutoCloseable {

    public static final String CLIENT_ID = "fake-client";
    public static final String CLIENT_SECRET = "fake-client-secret-value";

    private final HttpServer server;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Grant> grantsByToken = new ConcurrentHashMap<>();
    private final Map<String, Grant> grantsByAccessToken = new ConcurrentHashMap<>();
    private final Map<String, String> codes = new ConcurrentHashMap<>(); // code -> PKCE challenge ("" for none)
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final AtomicInteger rejectedTokenRequests = new AtomicInteger();
    private final AtomicInteger revocations = new AtomicInteger();
    private volatile int failureStatus;
    private volatile String retryAfter;
    private volatile Fault fault = Fault.NONE;

    /** Misbehaviour beyond an error status, for fault tests. */
    public enum Fault {
        NONE,
        /** Close the connection without answering. */
        CLOSE_CONNECTION,
        /** Answer 200 with a body that is not JSON. */
        GARBAGE,
        /** Answer nothing for {@link #hangFor} (set it past the client's timeout), then close the connection. */
        HANG,
        /** Wait {@link #hangFor}, then process the request as usual: the client gave up on a refresh that rotated. */
        LATE_ANSWER
    }
    private volatile long hangMillis = 30_000;
    private volatile long latencyMillis;
    private volatile long expiresInSeconds = 3600;
    private volatile Duration grace = Duration.ofSeconds(60);
    private volatile boolean reuseKillsGrant;
    private volatile Gate gate;
    private final AtomicInteger droppedTokenRequests = new AtomicInteger();
    private final AtomicInteger grantsKilled = new AtomicInteger();

    private static final class Grant {
        final String id = UUID.randomUUID().toString();
        volatile String current;
        final Map<String, Instant> previous = new ConcurrentHashMap<>();
        volatile boolean revoked;
        volatile String accessToken;
        final AtomicInteger rotations = new AtomicInteger();
        /** When each token request presenting one of this grant's refresh tokens arrived, faulty or not. */
        final List<Instant> requests = new CopyOnWriteArrayList<>();
    }

    public FakeTokenServer(int threads) throws IOException {
        server = LoopbackHttpServer.create(1024);
        server.setExecutor(Executors.newFixedThreadPool(threads));
        server.createContext("/token", this::token);
        server.createContext("/userinfo", this::userinfo);
        server.createContext("/revoke", this::revokeByClient);
        // Where Trimble's adapter looks ({API_URL}/oauth/userinfo), so the real provider jar can run against this.
        server.createContext("/oauth/userinfo", this::userinfo);
        server.start();
    }

    public FakeTokenServer() throws IOException {
        this(16);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String tokenUrl() {
        return baseUrl() + "/token";
    }

    /** Starts a grant and returns its first refresh token. */
    public String newGrant() {
        Grant grant = new Grant();
        grant.current = "rt-" + UUID.randomUUID();
        grantsByToken.put(grant.current, grant);
        return grant.current;
    }

    /** An authorization code, as if a grower had consented; single-use. {@code codeChallenge} null: no PKCE. */
    public String newCode(String codeChallenge) {
        String code = "code-" + UUID.randomUUID();
        codes.put(code, codeChallenge == null ? "" : codeChallenge);
        return code;
    }

    /** The refresh token the server currently accepts without grace for the grant that issued {@code anyToken}. */
    public String currentRefreshToken(String anyTokenOfGrant) {
        Grant grant = grantsByToken.get(anyTokenOfGrant);
        return grant == null ? null : grant.current;
    }

    public int rotations(String anyTokenOfGrant) {
        Grant grant = grantsByToken.get(anyTokenOfGrant);
        return grant == null ? 0 : grant.rotations.get();
    }

    /** The grower revokes access: every token of the grant stops working. */
    public void revoke(String anyTokenOfGrant) {
        Grant grant = grantsByToken.get(anyTokenOfGrant);
        if (grant != null) {
            grant.revoked = true;
        }
    }

    public String revokeUrl() {
        return baseUrl() + "/revoke";
    }

    /** Revocation requests answered 200 (RFC 7009), known tokens or not. */
    public int revocations() {
        return revocations.get();
    }

    /** Whether the grant that issued {@code anyTokenOfGrant} is revoked (by the grower or by the client). */
    public boolean isRevoked(String anyTokenOfGrant) {
        Grant grant = grantsByToken.get(anyTokenOfGrant);
        return grant != null && grant.revoked;
    }

    /** Answer every request with this status (e.g. 503) until {@link #recover()}. */
    public void failWith(int status) {
        failWith(status, null);
    }

    /** As {@link #failWith(int)}, with this {@code Retry-After} header (null for none). */
    public void failWith(int status, String retryAfterHeader) {
        retryAfter = retryAfterHeader;
        failureStatus = status;
    }

    public void recover() {
        failureStatus = 0;
        fault = Fault.NONE;
    }

    /** Misbehave this way on every request until {@link #recover()}. */
    public void fault(Fault misbehaviour) {
        fault = misbehaviour;
    }

    public void latency(Duration latency) {
        latencyMillis = latency.toMillis();
    }

    public void expiresIn(Duration lifetime) {
        expiresInSeconds = lifetime.toSeconds();
    }

    /** How long {@link Fault#HANG} and {@link Fault#LATE_ANSWER} hold a request; a server thread is busy that long. */
    public void hangFor(Duration duration) {
        hangMillis = duration.toMillis();
    }

    public void grace(Duration duration) {
        grace = duration;
    }

    /**
     * Reuse detection: a refresh token presented after it was rotated away (past the grace period) revokes its whole
     * grant, as the OAuth 2.0 Security BCP describes for refresh token rotation (RFC 9700, section 4.14.2). With
     * {@code grace(Duration.ZERO)} one stale reuse, e.g. two instances refreshing one credential, kills the grant.
     */
    public void reuseKillsGrant(boolean kills) {
        reuseKillsGrant = kills;
    }

    /**
     * Holds every token request that arrives from now on before it is processed (nothing rotates), until
     * {@link #release}. For killing a client while its requests are on their way: a request the provider never
     * processed loses nothing, one it answered to a dead client loses the rotated token for good.
     */
    public void hold() {
        gate = new Gate(new java.util.concurrent.CountDownLatch(1));
    }

    /**
     * Lets held requests through: those presenting a refresh token that {@code drop} names are closed unanswered
     * and unprocessed (their client is gone), the others are processed as usual.
     */
    public void release(java.util.function.Predicate<String> drop) {
        Gate held = gate;
        gate = null;
        if (held != null) {
            held.drop = drop;
            held.open.countDown();
        }
    }

    /** Token requests closed unprocessed by {@link #release}; they are counted in {@link #tokenRequests} too. */
    public int droppedTokenRequests() {
        return droppedTokenRequests.get();
    }

    private static final class Gate {
        final java.util.concurrent.CountDownLatch open;
        volatile java.util.function.Predicate<String> drop = token -> false;

        Gate(java.util.concurrent.CountDownLatch open) {
            this.open = open;
        }

        /** @return true if the request is to be dropped */
        boolean pass(String refreshToken) {
            try {
                if (!open.await(120, java.util.concurrent.TimeUnit.SECONDS)) {
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
            return drop.test(refreshToken);
        }
    }

    /** Grants revoked by {@link #reuseKillsGrant} so far. */
    public int grantsKilled() {
        return grantsKilled.get();
    }

    public int tokenRequests() {
        return tokenRequests.get();
    }

    public int rejectedTokenRequests() {
        return rejectedTokenRequests.get();
    }

    /** Arrival times of the refresh requests of the grant that issued {@code anyTokenOfGrant}, oldest first. */
    public List<Instant> tokenRequestTimes(String anyTokenOfGrant) {
        Grant grant = grantsByToken.get(anyTokenOfGrant);
        return grant == null ? List.of() : List.copyOf(grant.requests);
    }

    private void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            tokenRequests.incrementAndGet();
            // Read before misbehaving, so even a failed request is counted against its grant.
            Map<String, String> form = parseForm(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            Grant asked = grantsByToken.get(form.getOrDefault("refresh_token", ""));
            if (asked != null) {
                asked.requests.add(clock.instant());
            }
            Gate held = gate;
            if (held != null && held.pass(form.getOrDefault("refresh_token", ""))) {
                droppedTokenRequests.incrementAndGet();
                return;
            }
            sleep();
            if (misbehave(exchange)) {
                return;
            }
            if (failureStatus != 0) {
                failureHeaders(exchange);
                respond(exchange, failureStatus, "{\"error\":\"temporarily_unavailable\"}");
                return;
            }
            String expectedAuth = "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
            if (!"POST".equals(exchange.getRequestMethod()) || !expectedAuth.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                rejectedTokenRequests.incrementAndGet();
                respond(exchange, 401, "{\"error\":\"invalid_client\"}");
                return;
            }
            if ("authorization_code".equals(form.get("grant_type"))) {
                String challenge = codes.remove(form.getOrDefault("code", ""));
                String verifier = form.get("code_verifier");
                if (challenge == null || (!challenge.isEmpty()
                        && (verifier == null || !challenge.equals(io.granary.spi.Pkce.challenge(verifier))))) {
                    rejectedTokenRequests.incrementAndGet();
                    respond(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"code is invalid or used\"}");
                    return;
                }
                form.put("grant_type", "refresh_token");
                form.put("refresh_token", newGrant());
            }
            String presented = form.getOrDefault("refresh_token", "");
            Grant grant = grantsByToken.get(presented);
            if (!"refresh_token".equals(form.get("grant_type")) || grant == null || grant.revoked || !accepts(grant, presented)) {
                rejectedTokenRequests.incrementAndGet();
                if (reuseKillsGrant && grant != null && !grant.revoked) {
                    grant.revoked = true;
                    grantsKilled.incrementAndGet();
                }
                respond(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"refresh token is invalid, expired or revoked\"}");
                return;
            }
            String next;
            String access;
            synchronized (grant) {
                Instant now = clock.instant();
                grant.previous.merge(presented, now.plus(grace), (a, b) -> a.isBefore(b) ? a : b);
                next = "rt-" + UUID.randomUUID();
                grant.current = next;
                grantsByToken.put(next, grant);
                grant.rotations.incrementAndGet();
                if (grant.accessToken != null) {
                    grantsByAccessToken.remove(grant.accessToken);
                }
                access = "at-" + UUID.randomUUID();
                grant.accessToken = access;
                grantsByAccessToken.put(access, grant);
            }
            respond(exchange, 200, "{\"access_token\":\"" + access + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                    + expiresInSeconds + ",\"refresh_token\":\"" + next + "\",\"scope\":\"openid ag\"}");
        }
    }

    /**
     * RFC 7009 section 2.1: {@code token} (and an optional {@code token_type_hint}) with client authentication.
     * Revoking a refresh token revokes its grant; a token the server does not know is answered 200 too (section 2.2).
     */
    private void revokeByClient(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> form = parseForm(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (misbehave(exchange)) {
                return;
            }
            if (failureStatus != 0) {
                failureHeaders(exchange);
                respond(exchange, failureStatus, "{\"error\":\"temporarily_unavailable\"}");
                return;
            }
            String expectedAuth = "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
            if (!"POST".equals(exchange.getRequestMethod()) || !expectedAuth.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                respond(exchange, 401, "{\"error\":\"invalid_client\"}");
                return;
            }
            Grant grant = grantsByToken.get(form.getOrDefault("token", ""));
            if (grant != null) {
                grant.revoked = true;
            }
            revocations.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
        }
    }

    private boolean misbehave(HttpExchange exchange) throws IOException {
        switch (fault) {
            case CLOSE_CONNECTION -> {
                // Closing before sending headers makes the JDK server drop the connection.
                return true;
            }
            case GARBAGE -> {
                respond(exchange, 200, "<html>upstream proxy error</html>");
                return true;
            }
            case HANG -> {
                hang(Fault.HANG);
                return true; // then closed unanswered, like CLOSE_CONNECTION
            }
            case LATE_ANSWER -> {
                hang(Fault.LATE_ANSWER);
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    /** Sleeps {@link #hangFor}, or until the fault ends, so a recovered server frees its threads at once. */
    private void hang(Fault current) {
        long until = System.nanoTime() + hangMillis * 1_000_000;
        while (fault == current && System.nanoTime() < until) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void failureHeaders(HttpExchange exchange) {
        String value = retryAfter;
        if (value != null) {
            exchange.getResponseHeaders().set("Retry-After", value);
        }
    }

    private boolean accepts(Grant grant, String presented) {
        if (presented.equals(grant.current)) {
            return true;
        }
        Instant until = grant.previous.get(presented);
        return until != null && clock.instant().isBefore(until);
    }

    private void userinfo(HttpExchange exchange) throws IOException {
        try (exchange) {
            sleep();
            if (misbehave(exchange)) {
                return;
            }
            if (failureStatus != 0) {
                failureHeaders(exchange);
                respond(exchange, failureStatus, "{}");
                return;
            }
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            Grant grant = auth == null ? null : grantsByAccessToken.get(auth.replaceFirst("^Bearer ", ""));
            if (grant == null || grant.revoked) {
                respond(exchange, 401, "{\"error\":\"invalid_token\"}");
                return;
            }
            respond(exchange, 200, "{\"sub\":\"" + grant.id + "\"}");
        }
    }

    private void sleep() {
        if (latencyMillis > 0) {
            try {
                Thread.sleep(latencyMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Map<String, String> parseForm(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
