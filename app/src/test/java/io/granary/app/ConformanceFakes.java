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
import java.net.URLEncoder;
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
 * <p>The fakes follow the wire the provider classes cite (docs/providers.md): CNHi's access check on the API host
 * with the subscription key and its consent parameters, Panorama as a Cognito user pool, Slingshot's HMAC keyed with
 * the base64-decoded shared secret, Climate's 304 for a grower with no fields, Sentera's login body with
 * {@code platform_id} and {@code version_id}. Each refuses what its provider would refuse, so a drift fails the test.
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
        fakes.add(new CognitoFake());
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

    /**
     * Climate: Basic auth of {@code client_id:client_secret} as issued plus {@code X-Api-Key} on every call;
     * {@code GET /v4/fields} with {@code X-Limit} as the access check. The grower starts with no fields, which the
     * OpenAPI 4.0.11 answers with 304 and no body ("If there are no results, a response code of 304 will be
     * returned"); after that first answer the grower has one field, answered 200 (the last page is 200 or 206).
     */
    static OAuthFake climate() {
        OAuthFake fake = new OAuthFake("ClimateFieldView", "climate-field-view-credentials", "CLIMATE_FIELD_VIEW", "clientId",
                "clientSecret", ClientAuth.BASIC, "/api/oauth/token");
        String apiKey = fake.appSecret("apiKey");
        fake.tokenCheck(call -> apiKey.equals(call.header("X-Api-Key")));
        AtomicInteger growerFields = new AtomicInteger();
        fake.accessCheck("/v4/fields", call -> apiKey.equals(call.header("X-Api-Key")) && xLimitInRange(call), call -> {
            if (growerFields.getAndIncrement() == 0) {
                call.answer(304, "");
            } else {
                call.answer(200, "{\"results\":[{\"id\":\"field-1\",\"name\":\"North 40\"}]}");
            }
        });
        fake.endpoint("API_URL", "");
        return fake;
    }

    /** OpenAPI 4.0.11: {@code X-Limit} is optional, between 1 and 100. */
    private static boolean xLimitInRange(Call call) {
        String limit = call.header("X-Limit");
        if (limit == null) {
            return true;
        }
        try {
            int value = Integer.parseInt(limit.trim());
            return value >= 1 && value <= 100;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * CNHi's Auth0: id and secret in the body; access proved with {@code GET /v2/myUserProfile} on the API host with
     * Bearer and the APIM {@code Ocp-Apim-Subscription-Key} (Auth0's {@code /userinfo} refuses an API-audience token);
     * consent as develop.cnh.com fieldops-api/tokens shows it, {@code connection} and {@code audience} included;
     * Auth0 revoke. The profile answer's shape is unverified (Leaf-Agriculture/docs only says it lists the user's
     * companies; the adapter reads only the status).
     */
    static OAuthFake cnhi() {
        OAuthFake fake = new OAuthFake("CNHI", "cnhi-credentials", "CNHI", "clientId", "clientSecret", ClientAuth.BODY, "/oauth/token");
        String subscriptionKey = fake.appSecret("subscriptionKey");
        fake.accessCheck("/v2/myUserProfile", call -> subscriptionKey.equals(call.header("Ocp-Apim-Subscription-Key")),
                "{\"companies\":[{\"id\":\"company-1\",\"name\":\"Prairie Farms\"}]}");
        // The consent example: authorize?...&scope=offline_access&connection=PROD-ADFS-CONN&...&audience=https://ag.api.cnhind.com
        fake.consent("/authorize", "offline_access", Map.of("connection", "PROD-ADFS-CONN", "audience", "https://ag.api.cnhind.com"));
        fake.revocation("/oauth/revoke");
        fake.endpoint("API_URL", "");
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
        /** Every request the fake received, outage or not: tells whether a refresh reached the provider. */
        final AtomicInteger requests = new AtomicInteger();
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
                    requests.incrementAndGet();
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

        /** The slug of Granary's OAuth helper for this provider when the fake serves its consent page; else null. */
        String consentSlug() {
            return null;
        }

        /** The body of Leaf's {@code get_url} for this provider's consent page. */
        Map<String, String> consentRequest(String redirectUri) {
            throw new UnsupportedOperationException(name + " has no consent page");
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
            return decode(text());
        }

        /** An {@code application/x-www-form-urlencoded} string (a form body or a raw query) as a map. */
        static Map<String, String> decode(String encoded) {
            Map<String, String> form = new HashMap<>();
            if (encoded == null) {
                return form;
            }
            for (String pair : encoded.split("&")) {
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
            respond(exchange, status, json, "application/json");
        }

        void answer(int status, String json, String contentType) throws IOException {
            respond(exchange, status, json, contentType);
        }
    }

    static void respond(HttpExchange exchange, int status, String json) throws IOException {
        respond(exchange, status, json, "application/json");
    }

    static void respond(HttpExchange exchange, int status, String json, String contentType) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
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
        BODY
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
        private String consentPath;
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
            accessCheck(path, extra, call -> call.answer(200, answer));
        }

        /** As above, with {@code works} answering a request that passed every check. */
        void accessCheck(String path, java.util.function.Predicate<Call> extra, Handler works) {
            route(path, call -> {
                if (!revoked && accessToken != null && accessToken.equals(call.bearer()) && extra.test(call)) {
                    works.handle(call);
                } else {
                    call.answer(401, "{\"error\":\"invalid_token\"}");
                }
            });
        }

        /**
         * The grower's consent page: a GET with {@code response_type=code}, this app's client id, a redirect URI, a
         * state, the {@code scope} and every extra parameter the provider documents, answered with a 302 back to the
         * redirect URI carrying a code and the state; anything else is refused with 400 (the grower would see an
         * error page and never consent).
         */
        void consent(String path, String scope, Map<String, String> parameters) {
            consentPath = path;
            endpoint("AUTHORIZE_URL", path);
            route(path, call -> {
                Map<String, String> query = Call.decode(call.exchange().getRequestURI().getRawQuery());
                boolean documented = "GET".equals(call.exchange().getRequestMethod())
                        && "code".equals(query.get("response_type")) && clientId.equals(query.get("client_id"))
                        && query.get("redirect_uri") != null && query.get("state") != null
                        && List.of(query.getOrDefault("scope", "").split(" ")).contains(scope)
                        && parameters.entrySet().stream().allMatch(p -> p.getValue().equals(query.get(p.getKey())));
                if (!documented) {
                    call.answer(400, "{\"error\":\"invalid_request\"}");
                    return;
                }
                String location = query.get("redirect_uri") + "?code=" + UUID.randomUUID() + "&state="
                        + URLEncoder.encode(query.get("state"), StandardCharsets.UTF_8);
                call.exchange().getResponseHeaders().set("Location", location);
                call.answer(302, "");
            });
        }

        @Override
        String consentSlug() {
            return consentPath == null ? null : suffix.replaceFirst("-credentials$", "");
        }

        @Override
        Map<String, String> consentRequest(String redirectUri) {
            return Map.of("client_id", clientId, "client_secret", clientSecret, "client_redirect_url", redirectUri,
                    "clientEnvironment", "PRODUCTION");
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
     * Panorama's AWS Cognito user pool, spoken as the AWS JSON 1.1 protocol (AWS Cognito API reference,
     * API_InitiateAuth): {@code POST /} with {@code X-Amz-Target: AWSCognitoIdentityProviderService.InitiateAuth} and
     * {@code Content-Type: application/x-amz-json-1.1}. {@code REFRESH_TOKEN_AUTH} answers a new access token and no
     * new refresh token; {@code USER_PASSWORD_AUTH} (the adapter's fallback) a full token set; errors are 400 with
     * {@code __type}. Access is proved on the partner API with {@code GET /sharing/{orgCode}}, answered as the public
     * partner sample reads it (a list of entries with {@code fields}). Revoking access here means the grower's user
     * is disabled: Cognito then refuses the refresh token and the password alike. Cognito's {@code RevokeToken} is
     * served and counted, so a delete that called it would show; Granary's Panorama adapter offers no revocation.
     */
    static final class CognitoFake extends Fake {
        static final String TARGET_PREFIX = "AWSCognitoIdentityProviderService.";
        static final String AMZ_JSON = "application/x-amz-json-1.1";
        private final String clientId = appField("clientId", "panorama-app-client");
        private final String username = appField("username", "grower@panorama.example");
        private final String password = appSecret("password");
        private final String organizationCode = appField("organizationCode", "ORG-42");
        private volatile String refreshToken = appField("refreshToken", issue("cognito-rt"));
        private volatile String accessToken;

        CognitoFake() {
            super("Panorama", "panorama-credentials", "PANORAMA");
            route("/", this::cognito);
            route("/sharing/", this::sharing);
            endpoint("TOKEN_URL", "/");
            endpoint("API_URL", "");
        }

        private void cognito(Call call) throws IOException {
            String target = call.header("X-Amz-Target");
            if (!"POST".equals(call.exchange().getRequestMethod()) || !"/".equals(call.exchange().getRequestURI().getPath())
                    || target == null || !target.startsWith(TARGET_PREFIX)) {
                error(call, "UnknownOperationException", null);
                return;
            }
            String contentType = call.header("Content-Type");
            if (contentType == null || !contentType.startsWith(AMZ_JSON)) {
                error(call, "SerializationException", "Start of structure or map found where not expected.");
                return;
            }
            JsonNode request = call.json();
            if (!clientId.equals(request.path("ClientId").asText())) {
                error(call, "ResourceNotFoundException", "User pool client " + request.path("ClientId").asText() + " does not exist.");
                return;
            }
            switch (target.substring(TARGET_PREFIX.length())) {
                case "InitiateAuth" -> initiateAuth(call, request);
                case "RevokeToken" -> {
                    clientRevocations.incrementAndGet();
                    call.answer(200, "{}", AMZ_JSON);
                }
                default -> error(call, "UnknownOperationException", null);
            }
        }

        private void initiateAuth(Call call, JsonNode request) throws IOException {
            JsonNode parameters = request.path("AuthParameters");
            String flow = request.path("AuthFlow").asText();
            synchronized (this) {
                if ("REFRESH_TOKEN_AUTH".equals(flow)) {
                    if (revoked || !refreshToken.equals(parameters.path("REFRESH_TOKEN").asText())) {
                        error(call, "NotAuthorizedException", revoked ? "Refresh Token has been revoked" : "Invalid Refresh Token");
                        return;
                    }
                    accessToken = issue("cognito-at");
                    call.answer(200, "{\"AuthenticationResult\":{\"AccessToken\":" + quote(accessToken) + ",\"ExpiresIn\":3600,"
                            + "\"IdToken\":" + quote(issue("cognito-id")) + ",\"TokenType\":\"Bearer\"},\"ChallengeParameters\":{}}", AMZ_JSON);
                } else if ("USER_PASSWORD_AUTH".equals(flow)) {
                    if (revoked) {
                        error(call, "NotAuthorizedException", "User is disabled.");
                        return;
                    }
                    if (!username.equals(parameters.path("USERNAME").asText()) || !password.equals(parameters.path("PASSWORD").asText())) {
                        error(call, "NotAuthorizedException", "Incorrect username or password.");
                        return;
                    }
                    accessToken = issue("cognito-at");
                    refreshToken = issue("cognito-rt");
                    call.answer(200, "{\"AuthenticationResult\":{\"AccessToken\":" + quote(accessToken) + ",\"ExpiresIn\":3600,"
                            + "\"IdToken\":" + quote(issue("cognito-id")) + ",\"RefreshToken\":" + quote(refreshToken)
                            + ",\"TokenType\":\"Bearer\"},\"ChallengeParameters\":{}}", AMZ_JSON);
                } else {
                    error(call, "InvalidParameterException", "Unsupported auth flow " + flow);
                }
            }
        }

        /** AWS JSON 1.1 errors: 400 with the error type in {@code __type}. */
        private static void error(Call call, String type, String message) throws IOException {
            call.answer(400, "{\"__type\":" + quote(type) + (message == null ? "" : ",\"message\":" + quote(message)) + "}", AMZ_JSON);
        }

        /** The partner sample's {@code GET sharing/{orgCode}}; error answers are unverified (the sample shows none). */
        private void sharing(Call call) throws IOException {
            if (revoked || accessToken == null || !accessToken.equals(call.bearer())) {
                call.answer(401, "{\"message\":\"Unauthorized\"}");
                return;
            }
            if (!"GET".equals(call.exchange().getRequestMethod())
                    || !("/sharing/" + organizationCode).equals(call.exchange().getRequestURI().getPath())) {
                call.answer(404, "{\"message\":\"Not Found\"}");
                return;
            }
            call.answer(200, "[{\"name\":\"Prairie Farms\",\"fields\":[{\"uuid\":\"6c1d5f0e-0000-4000-8000-000000000001\",\"name\":\"North 40\"}]}]");
        }

        /** REFRESH_TOKEN_AUTH issues no new refresh token: the stored one is the one the grower brought. */
        @Override
        Map<String, String> renewed() {
            return Map.of("refreshToken", refreshToken, "accessToken", accessToken);
        }
    }

    /**
     * Raven Slingshot: {@code GET /accesskey} signed with HMAC-SHA1 over method, host, path, timestamp, API key and
     * access key, keyed with the base64-DECODED shared secret (Raven issues it base64-encoded; see
     * RavenSlingshotProvider for the sources); a timestamp more than 120 s away is refused like a bad signature, with
     * 401 (developer.ravenslingshot.com .../slingshot-api/authentication). The answer's {@code IsActive} says whether
     * the grower's key works.
     */
    static final class SlingshotFake extends Fake {
        static final String EXPIRES = "2031-06-30T00:00:00Z";
        static final long REQUEST_LIFETIME_SECONDS = 120;
        private final String apiKey = appSecret("apiKey");
        private final String accessKey = appSecret("accessKey");
        /** 32 random bytes, base64-encoded, as Raven issues the shared secret. */
        private final byte[] signingKey = randomBytes(32);
        private final String sharedSecret = appField("sharedSecret", Base64.getEncoder().encodeToString(signingKey));

        SlingshotFake() {
            super("RavenSlingshot", "raven-slingshot-credentials", "RAVEN_SLINGSHOT");
            secrets.add(sharedSecret);
            route("/accesskey", this::accessKeySummary);
            endpoint("API_URL", "");
        }

        private static byte[] randomBytes(int size) {
            byte[] bytes = new byte[size];
            new java.security.SecureRandom().nextBytes(bytes);
            return bytes;
        }

        private void accessKeySummary(Call call) throws IOException {
            String host = call.header("Host").replaceFirst(":\\d+$", "");
            String timestamp = call.header("X-SS-TimeStamp");
            if (!"GET".equals(call.exchange().getRequestMethod()) || !fresh(timestamp)
                    || !apiKey.equals(call.header("X-SS-APIKey")) || !accessKey.equals(call.header("X-SS-AccessKey"))
                    || !sign(host, timestamp).equals(call.header("X-SS-Signature"))) {
                call.answer(401, "{\"Message\":\"Authorization has been denied for this request.\"}");
                return;
            }
            call.answer(200, "{\"AccessKey\":\"****\",\"IsActive\":" + !revoked + ",\"ExpirationDateTime\":\"" + EXPIRES + "\"}");
        }

        private static boolean fresh(String timestamp) {
            try {
                long age = java.time.Instant.now().getEpochSecond() - Long.parseLong(timestamp);
                return Math.abs(age) <= REQUEST_LIFETIME_SECONDS;
            } catch (NumberFormatException e) {
                return false;
            }
        }

        private String sign(String host, String timestamp) {
            String canonical = "GET\r\n" + host.toLowerCase(Locale.ROOT) + "\r\n/accesskey\r\n" + timestamp + "\r\n"
                    + apiKey + "\r\n" + accessKey + "\r\n";
            try {
                Mac mac = Mac.getInstance("HmacSHA1");
                mac.init(new SecretKeySpec(signingKey, "HmacSHA1"));
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

    /**
     * Sentera: {@code POST /v1/sessions} with {@code {"session":{"email","password","platform_id":"API","version_id":
     * "1.0.0"}}} logs in (SenteraLLC/py-sentera-api {@code sentera/auth.py}); a body without the platform and version
     * is refused. GraphQL lists the organizations (query shape unverified, as in the provider).
     */
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
            if (!"API".equals(session.path("platform_id").asText()) || !"1.0.0".equals(session.path("version_id").asText())) {
                call.answer(422, "{\"errors\":[\"platform_id and version_id are required\"]}");
                return;
            }
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
            JsonNode request = call.json();
            if (!request.path("query").asText().contains("organizations(") || !request.path("variables").path("page").isInt()) {
                call.answer(200, "{\"errors\":[{\"message\":\"not the organizations query\"}]}");
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
