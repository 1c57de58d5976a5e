package io.granary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.granary.testkit.LoopbackHttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Local fakes of the twelve providers for {@link ProviderConformanceIT}, each on its own loopback port (a host of its
 * own, as in production), each speaking as its provider documents: token endpoint style, client authentication, and
 * the access check the adapter makes. The public sources are cited next to the wire details in the provider classes.
 *
 * <p>Every fake holds one grant for one grower. It can revoke it (as the grower would at the provider), suffer an
 * outage (503 on every route), and tell which secrets it handed out or took in, so the test can look for them in
 * the credential's events.
 *
 * <p><b>TODAY'S WIRE</b> marks fakes written against today's provider code where the provwire branch corrects the
 * wire format (issue 15 items 1-2): CNHi's access check, Panorama (Cognito), Slingshot's signature key, Climate (304
 * for no fields), Sentera's login body. Adjust those fakes when merging; the rest of the test stays.
 */
final class ConformanceFakes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ConformanceFakes() {
    }

    /** The twelve providers of the seed, in the order of Leaf's provider table. */
    static List<Fake> all() {
        List<Fake> fakes = new ArrayList<>();
        fakes.add(trimble());
        fakes.add(agLeader());
        fakes.add(johnDeere());
        fakes.add(claas());
        fakes.add(climate());
        fakes.add(cnhi());
        fakes.add(panorama());
        fakes.add(raven());
        fakes.add(new SlingshotFake());
        fakes.add(new SenteraFake());
        fakes.add(new StaraFake());
        fakes.add(new AgvanceFake());
        return fakes;
    }

    // ---- the OAuth 2.0 providers: RFC 6749 section 6 refresh with rotation, each with its own client auth ----

    /** Trimble Identity: Basic client auth, userinfo as the access check, RFC 7009 revocation. */
    static OAuthFake trimble() {
        OAuthFake fake = new OAuthFake("Trimble", "trimble-credentials", "TRIMBLE", "clientId", "clientSecret", ClientAuth.BASIC, "/oauth/token");
        fake.accessCheck("/oauth/userinfo", call -> true, "{\"sub\":\"grower-trimble-1\"}");
        fake.revocation("/oauth/revoke");
        fake.endpoint("API_URL", "");
        return fake;
    }

    /** AgFiniti: Basic auth with the app's public and private key; no access check. */
    static OAuthFake agLeader() {
        return new OAuthFake("AgLeader", "ag-leader-credentials", "AG_LEADER", "publicKey", "privateKey", ClientAuth.BASIC, "/api/token");
    }

    /** John Deere's Okta server: Basic auth; {@code GET /organizations} (axiom v3) as the access check; Okta revoke. */
    static OAuthFake johnDeere() {
        OAuthFake fake = new OAuthFake("JohnDeere", "john-deere-credentials", "JOHN_DEERE", "clientKey", "clientSecret",
                ClientAuth.BASIC, "/oauth2/aus78tnlaysMraFhC1t7/v1/token");
        fake.accessCheck("/platform/organizations", call -> "application/vnd.deere.axiom.v3+json".equals(call.header("Accept")),
                "{\"links\":[],\"total\":1,\"values\":[{\"@type\":\"Organization\",\"name\":\"Prairie Farms\",\"type\":\"customer\","
                        + "\"member\":true,\"id\":\"123456\",\"links\":[{\"@type\":\"Link\",\"rel\":\"self\","
                        + "\"uri\":\"https://partnerapi.deere.com/platform/organizations/123456\"}]}]}");
        fake.revocation("/oauth2/aus78tnlaysMraFhC1t7/v1/revoke");
        fake.endpoint("API_URL", "/platform");
        return fake;
    }

    /** CLAAS (defaults unverified in the provider): Basic auth, no access check. */
    static OAuthFake claas() {
        return new OAuthFake("CLAAS", "claas-credentials", "CLAAS", "clientKey", "clientSecret", ClientAuth.BASIC, "/oauth2/token");
    }

    /** TODAY'S WIRE. Climate: Basic auth plus {@code X-Api-Key}; {@code GET /v4/fields} as the access check. */
    static OAuthFake climate() {
        OAuthFake fake = new OAuthFake("ClimateFieldView", "climate-field-view-credentials", "CLIMATE_FIELD_VIEW", "clientId",
                "clientSecret", ClientAuth.BASIC, "/api/oauth/token");
        String apiKey = fake.appSecret("apiKey");
        fake.tokenCheck(call -> apiKey.equals(call.header("X-Api-Key")));
        fake.accessCheck("/v4/fields", call -> apiKey.equals(call.header("X-Api-Key")),
                "{\"results\":[{\"id\":\"field-1\",\"name\":\"North 40\"}]}");
        fake.endpoint("API_URL", "");
        return fake;
    }

    /** TODAY'S WIRE (access check). CNHi's Auth0: id and secret in the body; userinfo with the APIM key; Auth0 revoke. */
    static OAuthFake cnhi() {
        OAuthFake fake = new OAuthFake("CNHI", "cnhi-credentials", "CNHI", "clientId", "clientSecret", ClientAuth.BODY, "/oauth/token");
        String subscriptionKey = fake.appSecret("subscriptionKey");
        fake.accessCheck("/userinfo", call -> subscriptionKey.equals(call.header("Ocp-Apim-Subscription-Key")), "{\"sub\":\"auth0|grower\"}");
        fake.revocation("/oauth/revoke");
        fake.endpoint("API_URL", "");
        return fake;
    }

    /** TODAY'S WIRE (provwire gives Panorama a Cognito adapter). A public client: {@code client_id} in the body only. */
    static OAuthFake panorama() {
        OAuthFake fake = new OAuthFake("Panorama", "panorama-credentials", "PANORAMA", "clientId", null, ClientAuth.PUBLIC, "/oauth2/token");
        fake.appField("username", "grower@panorama.example");
        fake.appSecret("password");
        fake.appField("organizationCode", "ORG-42");
        return fake;
    }

    /** Raven (defaults unverified in the provider): Basic auth, no access check. */
    static OAuthFake raven() {
        return new OAuthFake("Raven", "raven-credentials", "RAVEN", "clientId", "clientSecret", ClientAuth.BASIC, "/oauth/token");
    }

    // ---- the common part ----

    /** One provider's fake server holding one grower's grant. */
    abstract static class Fake implements AutoCloseable {
        final String name;
        final String suffix;
        private final String configKey;
        private final HttpServer server;
        private final ExecutorService executor = Executors.newFixedThreadPool(4);
        private final Map<String, String> endpoints = new LinkedHashMap<>();
        /** The credential's POST body, in Leaf's field names. */
        final Map<String, String> body = new LinkedHashMap<>();
        /** Every secret Granary sent or the fake issued; none may appear in the credential's events. */
        final List<String> secrets = new CopyOnWriteArrayList<>();
        final AtomicInteger clientRevocations = new AtomicInteger();
        volatile boolean outage;
        volatile boolean revoked;

        Fake(String name, String suffix, String configKey) {
            this.name = name;
            this.suffix = suffix;
            this.configKey = configKey;
            try {
                server = LoopbackHttpServer.create(64);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.setExecutor(executor);
            server.start();
            body.put("clientEnvironment", "PRODUCTION");
        }

        /** Points one of the provider's endpoints (TOKEN_URL, API_URL, REVOKE_URL) at a path of this fake. */
        final void endpoint(String kind, String path) {
            endpoints.put("GRANARY_PROVIDER_" + configKey + "_PRODUCTION_" + kind, url(path));
        }

        final Map<String, String> endpoints() {
            return endpoints;
        }

        final String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        /** A plain field of the credential body. */
        final String appField(String field, String value) {
            body.put(field, value);
            return value;
        }

        /** A secret field of the credential body, with a fresh value. */
        final String appSecret(String field) {
            String value = field + "-" + UUID.randomUUID();
            secrets.add(value);
            return appField(field, value);
        }

        /** A value the fake issues (a token, a session): a secret from now on. */
        final String issue(String prefix) {
            String value = prefix + "-" + UUID.randomUUID();
            secrets.add(value);
            return value;
        }

        /** Serves a route; during an outage every route answers 503. */
        final void route(String path, Handler handler) {
            server.createContext(path, exchange -> {
                try (exchange) {
                    Call call = new Call(exchange, exchange.getRequestBody().readAllBytes());
                    if (outage) {
                        respond(exchange, 503, "{\"error\":\"temporarily_unavailable\"}");
                        return;
                    }
                    handler.handle(call);
                } catch (RuntimeException e) {
                    respond(exchange, 500, "{\"error\":\"server_error\"}");
                }
            });
        }

        /** Whether the provider offers revocation to the client (RFC 7009), so a delete must reach the fake. */
        boolean offersRevocation() {
            return false;
        }

        /** The fields (reveal-secrets answer) that must hold what the fake issued last. */
        abstract Map<String, String> renewed();

        /** Checks the credential's answer holds what the fake issued last. */
        void assertRenewed(JsonNode credential) {
            renewed().forEach((field, value) -> assertEquals(value, credential.path(field).asText(null),
                    name + ": the stored " + field + " is the one the provider issued last"));
        }

        @Override
        public String toString() {
            return name;
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    @FunctionalInterface
    interface Handler {
        void handle(Call call) throws IOException;
    }

    /** One request to a fake. */
    record Call(HttpExchange exchange, byte[] raw) {
        String header(String name) {
            return exchange.getRequestHeaders().getFirst(name);
        }

        String text() {
            return new String(raw, StandardCharsets.UTF_8);
        }

        Map<String, String> form() {
            Map<String, String> form = new HashMap<>();
            for (String pair : text().split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            return form;
        }

        JsonNode json() {
            try {
                return JSON.readTree(raw);
            } catch (IOException e) {
                return JSON.createObjectNode();
            }
        }

        String bearer() {
            String auth = header("Authorization");
            return auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
        }

        void answer(int status, String json) throws IOException {
            respond(exchange, status, json);
        }
    }

    static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    static String quote(String value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    enum ClientAuth {
        /** {@code client_secret_basic} (RFC 6749 section 2.3.1). */
        BASIC,
        /** {@code client_secret_post}. */
        BODY,
        /** A public client: {@code client_id} only. */
        PUBLIC
    }

    /**
     * An OAuth 2.0 authorization server that rotates the refresh token on every use with no grace period (a used
     * token answers {@code invalid_grant}), optionally with an access-check route and RFC 7009 revocation.
     */
    static final class OAuthFake extends Fake {
        private final ClientAuth auth;
        private final String clientId;
        private final String clientSecret;
        private java.util.function.Predicate<Call> tokenCheck = call -> true;
        private String revokePath;
        volatile String refreshToken;
        volatile String accessToken;

        OAuthFake(String name, String suffix, String configKey, String clientIdField, String clientSecretField,
                  ClientAuth auth, String tokenPath) {
            super(name, suffix, configKey);
            this.auth = auth;
            this.clientId = appField(clientIdField, "app-" + name.toLowerCase(Locale.ROOT));
            this.clientSecret = clientSecretField == null ? null : appSecret(clientSecretField);
            this.refreshToken = issue("rt");
            appField("refreshToken", refreshToken);
            route(tokenPath, this::token);
            endpoint("TOKEN_URL", tokenPath);
        }

        /** An extra condition on token requests (a header the provider requires). */
        void tokenCheck(java.util.function.Predicate<Call> check) {
            tokenCheck = check;
        }

        /** A bearer-token route the adapter calls to prove access; {@code extra} checks its other headers. */
        void accessCheck(String path, java.util.function.Predicate<Call> extra, String answer) {
            route(path, call -> {
                boolean works = !revoked && accessToken != null && accessToken.equals(call.bearer()) && extra.test(call);
                call.answer(works ? 200 : 401, works ? answer : "{\"error\":\"invalid_token\"}");
            });
        }

        void revocation(String path) {
            revokePath = path;
            endpoint("REVOKE_URL", path);
            route(path, this::revokeByClient);
        }

        @Override
        boolean offersRevocation() {
            return revokePath != null;
        }

        private boolean clientAuthenticated(Call call, Map<String, String> form) {
            return switch (auth) {
                case BASIC -> ("Basic " + Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8)))
                        .equals(call.header("Authorization"));
                case BODY -> clientId.equals(form.get("client_id")) && clientSecret.equals(form.get("client_secret"));
                case PUBLIC -> clientId.equals(form.get("client_id")) && call.header("Authorization") == null;
            };
        }

        private void token(Call call) throws IOException {
            Map<String, String> form = call.form();
            if (!"POST".equals(call.exchange().getRequestMethod()) || !clientAuthenticated(call, form) || !tokenCheck.test(call)) {
                call.answer(401, "{\"error\":\"invalid_client\"}");
                return;
            }
            if (!"refresh_token".equals(form.get("grant_type"))) {
                call.answer(400, "{\"error\":\"unsupported_grant_type\"}");
                return;
            }
            String next;
            String access;
            synchronized (this) {
                if (revoked || !refreshToken.equals(form.get("refresh_token"))) {
                    call.answer(400, "{\"error\":\"invalid_grant\",\"error_description\":\"refresh token is invalid, expired or revoked\"}");
                    return;
                }
                next = issue("rt");
                access = issue("at");
                refreshToken = next;
                accessToken = access;
            }
            call.answer(200, "{\"access_token\":" + quote(access) + ",\"token_type\":\"Bearer\",\"expires_in\":3600,"
                    + "\"refresh_token\":" + quote(next) + ",\"scope\":\"offline_access\"}");
        }

        /** RFC 7009 section 2.1 with this provider's client authentication; 200 also for a token it does not know. */
        private void revokeByClient(Call call) throws IOException {
            Map<String, String> form = call.form();
            if (!clientAuthenticated(call, form)) {
                call.answer(401, "{\"error\":\"invalid_client\"}");
                return;
            }
            if (refreshToken.equals(form.get("token"))) {
                revoked = true;
            }
            clientRevocations.incrementAndGet();
            call.answer(200, "");
        }

        @Override
        Map<String, String> renewed() {
            Map<String, String> expected = new LinkedHashMap<>();
            expected.put("refreshToken", refreshToken);
            expected.put("accessToken", accessToken);
            return expected;
        }
    }

    // ---- the providers without OAuth refresh ----

    /**
     * TODAY'S WIRE (signature key). Raven Slingshot: {@code GET /accesskey} signed with HMAC-SHA1 over method, host,
     * path, timestamp, API key and access key; the answer's {@code IsActive} says whether the grower's key works.
     */
    static final class SlingshotFake extends Fake {
        static final String EXPIRES = "2031-06-30T00:00:00Z";
        private final String apiKey = appSecret("apiKey");
        private final String accessKey = appSecret("accessKey");
        private final String sharedSecret = appSecret("sharedSecret");

        SlingshotFake() {
            super("RavenSlingshot", "raven-slingshot-credentials", "RAVEN_SLINGSHOT");
            route("/accesskey", this::accessKeySummary);
            endpoint("API_URL", "");
        }

        private void accessKeySummary(Call call) throws IOException {
            String host = call.header("Host").replaceFirst(":\\d+$", "");
            String expected = sign(host, call.header("X-SS-TimeStamp"));
            if (!apiKey.equals(call.header("X-SS-APIKey")) || !accessKey.equals(call.header("X-SS-AccessKey"))
                    || !expected.equals(call.header("X-SS-Signature"))) {
                call.answer(401, "{\"Message\":\"Authorization has been denied for this request.\"}");
                return;
            }
            call.answer(200, "{\"AccessKey\":\"****\",\"IsActive\":" + !revoked + ",\"ExpirationDateTime\":\"" + EXPIRES + "\"}");
        }

        private String sign(String host, String timestamp) {
            String canonical = "GET\r\n" + host.toLowerCase(Locale.ROOT) + "\r\n/accesskey\r\n" + timestamp + "\r\n"
                    + apiKey + "\r\n" + accessKey + "\r\n";
            try {
                Mac mac = Mac.getInstance("HmacSHA1");
                // Today's provider keys the HMAC with the secret's UTF-8 bytes; provwire switches to base64-decoding it.
                mac.init(new SecretKeySpec(sharedSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
                return Base64.getEncoder().encodeToString(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Nothing rotates: the renewal is the key's expiry, read from the summary. */
        @Override
        Map<String, String> renewed() {
            return Map.of();
        }

        @Override
        void assertRenewed(JsonNode credential) {
            assertEquals("2031-06-30T00:00:00.000000Z", credential.path("accessTokenExpiresAt").asText(null),
                    name + ": the key's expiry is stored");
        }
    }

    /** TODAY'S WIRE (login body). Sentera: {@code POST /v1/sessions} logs in; GraphQL lists the organizations. */
    static final class SenteraFake extends Fake {
        private final String username = appField("username", "grower@sentera.example");
        private final String password = appSecret("password");
        private volatile String authToken;

        SenteraFake() {
            super("Sentera", "sentera-credentials", "SENTERA");
            appField("organizationName", "Prairie Farms");
            route("/v1/sessions", this::login);
            route("/graphql", this::graphql);
            endpoint("TOKEN_URL", "/v1/sessions");
            endpoint("API_URL", "/graphql");
        }

        private void login(Call call) throws IOException {
            JsonNode session = call.json().path("session");
            if (revoked || !username.equals(session.path("email").asText()) || !password.equals(session.path("password").asText())) {
                call.answer(401, "{\"errors\":[\"Invalid email or password\"]}");
                return;
            }
            authToken = issue("sentera-session");
            call.answer(200, "{\"auth_token\":" + quote(authToken) + "}");
        }

        private void graphql(Call call) throws IOException {
            if (revoked || authToken == null || !authToken.equals(call.bearer())) {
                call.answer(401, "{\"errors\":[{\"message\":\"unauthorized\"}]}");
                return;
            }
            call.answer(200, "{\"data\":{\"organizations\":{\"total_count\":1,\"results\":[{\"sentera_id\":\"org-sentera-1\",\"name\":\"Prairie Farms\"}]}}}");
        }

        @Override
        Map<String, String> renewed() {
            return Map.of("authToken", authToken, "organizationId", "org-sentera-1");
        }
    }

    /** Stara: the app's API key buys a fresh token pair from {@code POST /token}. */
    static final class StaraFake extends Fake {
        private final String apiKey = appSecret("apiKey");
        private volatile String accessToken = appField("accessToken", issue("stara-at"));
        private volatile String accessTokenClient = appField("accessTokenClient", issue("stara-atc"));
        private volatile String refreshToken = appField("refreshToken", issue("stara-rt"));

        StaraFake() {
            super("Stara", "stara-credentials", "STARA");
            route("/token", this::token);
            endpoint("TOKEN_URL", "/token");
        }

        private void token(Call call) throws IOException {
            if (revoked || !apiKey.equals(call.json().path("apiKey").asText())) {
                call.answer(401, "{\"error\":\"invalid_client\"}");
                return;
            }
            accessToken = issue("stara-at");
            accessTokenClient = issue("stara-atc");
            refreshToken = issue("stara-rt");
            call.answer(200, "{\"accessToken\":" + quote(accessToken) + ",\"accessTokenClient\":" + quote(accessTokenClient)
                    + ",\"refreshToken\":" + quote(refreshToken) + ",\"expiresIn\":3600}");
        }

        @Override
        Map<String, String> renewed() {
            return Map.of("accessToken", accessToken, "accessTokenClient", accessTokenClient, "refreshToken", refreshToken);
        }
    }

    /** Agvance (defaults unverified in the provider): {@code POST /api/login} with key and user answers a session id. */
    static final class AgvanceFake extends Fake {
        private final String apiKey = appSecret("apiKey");
        private final String username = appField("username", "agvance-user");
        private final String password = appSecret("password");
        private final String databaseId = appField("databaseId", "db-7");
        private volatile String sessionId;

        AgvanceFake() {
            super("Agvance", "agvance-credentials", "AGVANCE");
            route("/api/login", this::login);
            endpoint("TOKEN_URL", "/api/login");
        }

        private void login(Call call) throws IOException {
            JsonNode login = call.json();
            if (revoked || !apiKey.equals(login.path("apiKey").asText()) || !username.equals(login.path("username").asText())
                    || !password.equals(login.path("password").asText()) || !databaseId.equals(login.path("databaseId").asText())) {
                call.answer(401, "{\"message\":\"invalid credentials\"}");
                return;
            }
            sessionId = issue("agvance-session");
            call.answer(200, "{\"sessionId\":" + quote(sessionId) + "}");
        }

        @Override
        Map<String, String> renewed() {
            return Map.of("sessionId", sessionId);
        }
    }
}
