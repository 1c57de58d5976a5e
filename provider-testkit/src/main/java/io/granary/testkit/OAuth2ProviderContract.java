package io.granary.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.granary.spi.JdkProviderHttp;
import io.granary.spi.CredentialField;
import io.granary.spi.EndpointKind;
import io.granary.spi.Environment;
import io.granary.spi.Json;
import io.granary.spi.MalformedAnswerException;
import io.granary.spi.OAuth2Provider;
import io.granary.spi.ProviderDescriptor;
import io.granary.spi.ProviderHttp;
import io.granary.spi.ProviderRequest;
import io.granary.spi.ProviderResponse;
import io.granary.spi.ProviderUnreachableException;
import io.granary.spi.RefreshResult;
import io.granary.spi.RevocationFailedException;
import io.granary.spi.TokenUpdate;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The refresh-token matrix every {@link OAuth2Provider} must pass, run against a real {@link MockWebServer}
 * through the real {@link JdkProviderHttp}. A provider test extends this class and says what its provider
 * should do: input fields, client-authentication style, extra form parameters and headers, and its access check.
 *
 * <p>Transport and parsing failures are asserted as the exceptions the SPI allows a provider to throw
 * ({@link ProviderUnreachableException}, {@link MalformedAnswerException}); mapping them to
 * {@link RefreshResult.Unavailable} is the host's job, not the provider's.
 *
 * <p>Every endpoint points at the MockWebServer: TOKEN_URL at {@value #TOKEN_PATH}, AUTHORIZE_URL at
 * {@value #AUTHORIZE_PATH}, API_URL at {@value #API_PATH} (no trailing slash).
 */
public abstract class OAuth2ProviderContract {

    public static final String TOKEN_PATH = "/test/oauth/token";
    public static final String AUTHORIZE_PATH = "/test/oauth/authorize";
    public static final String API_PATH = "/test/api";
    public static final String REVOKE_PATH = "/test/oauth/revoke";

    /** The refresh token the contract stores before each refresh; {@link #inputFields()} need not contain one. */
    protected static final String OLD_REFRESH_TOKEN = "old-refresh-token-7f3a";
    protected static final String NEW_ACCESS_TOKEN = "new-access-token-91bc";
    protected static final String NEW_REFRESH_TOKEN = "new-refresh-token-c0d4";
    protected static final Instant NOW = Instant.parse("2026-03-19T10:15:30Z");

    /** Short, so the timeout case takes about a second. */
    protected static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);
    /** How long to wait for a request that must have arrived; nothing in the contract can hang. */
    private static final long TAKE_SECONDS = 2;

    /** How the provider must authenticate itself at the token endpoint. */
    public enum ExpectedClientAuth {
        /** {@code client_secret_basic}: {@code Authorization: Basic base64(id:secret)}, nothing in the body. */
        BASIC_HEADER,
        /** {@code client_secret_basic} with id and secret as issued, not form-encoded first (what the provider's sources show). */
        BASIC_HEADER_AS_ISSUED,
        /** {@code client_secret_post}: {@code client_id} and {@code client_secret} in the form body. */
        BODY_PARAMETERS,
        /** Public client: {@code client_id} in the body, no secret anywhere. */
        PUBLIC_CLIENT
    }

    /** The provider's cheap "does the fresh token work" call, as the contract drives it. */
    public interface AccessCheck {

        /** The answer the check call gets when the credential works (status 200 and whatever body it needs). */
        MockResponse workingAnswer();

        /** Asserts the check request is the documented one (method, path, bearer token, headers). */
        void verifyRequest(RecordedRequest request, String accessToken);
    }

    private MockWebServer server;
    private RecordingHttp http;

    // ---- what a provider test supplies ----

    /** The provider under test; may be called several times in one test. */
    protected abstract OAuth2Provider provider();

    /**
     * The credential's input fields except {@code refreshToken} (the contract sets {@link #OLD_REFRESH_TOKEN}),
     * e.g. {@code clientId} and {@code clientSecret}.
     */
    protected abstract Map<String, String> inputFields();

    protected abstract ExpectedClientAuth expectedClientAuth();

    /** The provider's access check, or empty if it has none (the refresh then makes exactly one call). */
    protected abstract Optional<AccessCheck> accessCheck();

    /** The field holding the OAuth client id. */
    protected String expectedClientIdField() {
        return "clientId";
    }

    /** The field holding the OAuth client secret. */
    protected String expectedClientSecretField() {
        return "clientSecret";
    }

    /** Form parameters the refresh must send besides grant, token and client authentication ({@code scope}, ...). */
    protected Map<String, String> expectedExtraFormParameters() {
        return Map.of();
    }

    /** Headers the token request must carry besides Accept, Content-Type and Authorization. */
    protected Map<String, String> expectedExtraTokenHeaders() {
        return Map.of();
    }

    /** The access-token lifetime the provider assumes when the answer has no {@code expires_in}. */
    protected Duration expectedAssumedLifetime() {
        return Duration.ofHours(1);
    }

    /** The environment of the credential under test; defaults to the descriptor's default. */
    protected Environment environment() {
        return provider().descriptor().defaultEnvironment();
    }

    // ---- lifecycle and helpers for subclasses ----

    @BeforeEach
    final void startServer() throws IOException {
        server = new MockWebServer();
        server.start();
        http = new RecordingHttp(new JdkProviderHttp(Duration.ofSeconds(1), REQUEST_TIMEOUT));
    }

    @AfterEach
    final void stopServer() {
        server.close();
    }

    protected final MockWebServer server() {
        return server;
    }

    /** Every request the provider sent, each with how many token updates had been saved when it was sent. */
    protected final List<RecordedCall> calls() {
        return http.calls;
    }

    /** The API_URL the contract configured, without a trailing slash. */
    protected final String apiUrl() {
        return server.url(API_PATH).toString();
    }

    /** A context holding {@link #inputFields()}, the old refresh token and endpoints on the MockWebServer. */
    protected final FakeRefreshContext newContext() {
        return newContext(environment());
    }

    protected final FakeRefreshContext newContext(Environment environment) {
        FakeRefreshContext context = new FakeRefreshContext(environment, http, NOW)
                .endpoint(EndpointKind.TOKEN_URL, server.url(TOKEN_PATH).toString())
                .endpoint(EndpointKind.AUTHORIZE_URL, server.url(AUTHORIZE_PATH).toString())
                .endpoint(EndpointKind.API_URL, apiUrl())
                .endpoint(EndpointKind.REVOKE_URL, server.url(REVOKE_PATH).toString());
        inputFields().forEach(context::field);
        context.field(OAuth2Provider.REFRESH_TOKEN, OLD_REFRESH_TOKEN);
        http.context = context;
        return context;
    }

    /** The next request the server received; fails rather than hangs if none came. */
    protected final RecordedRequest takeRequest() {
        try {
            RecordedRequest request = server.takeRequest(TAKE_SECONDS, TimeUnit.SECONDS);
            assertNotNull(request, "expected a request within " + TAKE_SECONDS + " s");
            return request;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a request", e);
        }
    }

    /** A successful token answer; pass null to leave a member out. */
    protected static MockResponse tokenAnswer(String accessToken, String refreshToken, Long expiresIn, String scope) {
        Map<String, Object> json = new LinkedHashMap<>();
        if (accessToken != null) {
            json.put("access_token", accessToken);
        }
        json.put("token_type", "Bearer");
        if (expiresIn != null) {
            json.put("expires_in", expiresIn);
        }
        if (refreshToken != null) {
            json.put("refresh_token", refreshToken);
        }
        if (scope != null) {
            json.put("scope", scope);
        }
        return jsonAnswer(200, Json.write(json));
    }

    protected static MockResponse jsonAnswer(int status, String body) {
        return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body).build();
    }

    /** Queues a rotating token answer and, if the provider has one, a working access-check answer. */
    protected final void enqueueWorkingRefresh() {
        server.enqueue(tokenAnswer(NEW_ACCESS_TOKEN, NEW_REFRESH_TOKEN, 3600L, null));
        accessCheck().ifPresent(check -> server.enqueue(check.workingAnswer()));
    }

    /** Fails if the text contains any secret the test handed the provider or the provider received. */
    protected final void assertNoSecretIn(String text) {
        if (text == null) {
            return;
        }
        List<String> secrets = new ArrayList<>(List.of(OLD_REFRESH_TOKEN, NEW_ACCESS_TOKEN, NEW_REFRESH_TOKEN));
        ProviderDescriptor descriptor = provider().descriptor();
        inputFields().forEach((name, value) -> {
            if (descriptor.field(name).map(CredentialField::secret).orElse(true)) {
                secrets.add(value);
            }
        });
        for (String secret : secrets) {
            assertFalse(text.contains(secret), "a secret leaked into: " + text.replace(secret, "<redacted>"));
        }
    }

    // ---- the descriptor ----

    @Test
    void descriptor_declaresEveryInputFieldAndAOAuthTokenUrl() {
        ProviderDescriptor descriptor = provider().descriptor();
        for (String name : inputFields().keySet()) {
            assertTrue(descriptor.field(name).isPresent(), "descriptor does not declare input field " + name);
        }
        assertTrue(descriptor.field(expectedClientIdField()).isPresent(), "no client id field " + expectedClientIdField());
        for (Environment environment : descriptor.environments()) {
            assertTrue(descriptor.endpoint(EndpointKind.TOKEN_URL, environment).isPresent(), "no TOKEN_URL for " + environment);
        }
    }

    /** The host's consent flows and the token request find the client's fields only by these marks. */
    @Test
    void descriptor_marksTheClientIdAndSecretFields() {
        ProviderDescriptor descriptor = provider().descriptor();
        assertEquals(Optional.of(expectedClientIdField()), descriptor.clientIdField(), "CredentialField.asClientId()");
        Optional<String> secret = expectedClientAuth() == ExpectedClientAuth.PUBLIC_CLIENT ? Optional.empty() : Optional.of(expectedClientSecretField());
        assertEquals(secret, descriptor.clientSecretField(), "CredentialField.asClientSecret()");
    }

    @Test
    void descriptor_treatsRefreshTokenAndClientSecretAsSecrets() {
        ProviderDescriptor descriptor = provider().descriptor();
        CredentialField refreshToken = descriptor.field(OAuth2Provider.REFRESH_TOKEN).orElseThrow();
        assertTrue(refreshToken.secret());
        assertEquals(CredentialField.Answer.MASKED, refreshToken.answer());
        if (expectedClientAuth() != ExpectedClientAuth.PUBLIC_CLIENT) {
            CredentialField secret = descriptor.field(expectedClientSecretField()).orElseThrow();
            assertTrue(secret.secret());
            assertEquals(CredentialField.Answer.MASKED, secret.answer());
        }
        descriptor.field(OAuth2Provider.ACCESS_TOKEN).ifPresent(access -> {
            assertTrue(access.secret(), "access token must be encrypted at rest");
            assertEquals(CredentialField.Answer.CLEAR, access.answer(), "handing out access tokens is the point");
        });
    }

    // ---- the token request ----

    @Test
    void refresh_whenProviderAnswers_postsRefreshGrantWithClientAuth() {
        enqueueWorkingRefresh();

        provider().refresh(newContext());

        RecordedRequest request = takeRequest();
        assertEquals("POST", request.getMethod());
        assertEquals(TOKEN_PATH, request.getTarget());
        assertEquals("application/json", request.getHeaders().get("Accept"));
        assertEquals("application/x-www-form-urlencoded", request.getHeaders().get("Content-Type"));
        expectedExtraTokenHeaders().forEach((name, value) -> assertEquals(value, request.getHeaders().get(name), name));

        String body = request.getBody() == null ? "" : request.getBody().utf8();
        assertTrue(body.startsWith("grant_type=refresh_token&refresh_token=" + OLD_REFRESH_TOKEN), body);
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("grant_type", "refresh_token");
        expected.put("refresh_token", OLD_REFRESH_TOKEN);
        String clientId = inputFields().get(expectedClientIdField());
        String clientSecret = inputFields().get(expectedClientSecretField());
        switch (expectedClientAuth()) {
            case BASIC_HEADER -> assertEquals(basicHeader(clientId, clientSecret), request.getHeaders().get("Authorization"));
            case BASIC_HEADER_AS_ISSUED -> assertEquals(basicHeaderAsIssued(clientId, clientSecret), request.getHeaders().get("Authorization"));
            case BODY_PARAMETERS -> {
                assertNull(request.getHeaders().get("Authorization"));
                expected.put("client_id", clientId);
                expected.put("client_secret", clientSecret);
            }
            case PUBLIC_CLIENT -> {
                assertNull(request.getHeaders().get("Authorization"));
                expected.put("client_id", clientId);
            }
        }
        expected.putAll(expectedExtraFormParameters());
        assertEquals(expected, parseForm(body));
    }

    @Test
    void refresh_withBasicClientAuth_encodesReservedCharactersAsTheProviderDeclares() {
        assumeTrue(expectedClientAuth() == ExpectedClientAuth.BASIC_HEADER || expectedClientAuth() == ExpectedClientAuth.BASIC_HEADER_AS_ISSUED,
                "provider does not use HTTP Basic");
        // Letters and digits encode alike either way; these characters tell the two styles apart.
        String awkwardSecret = "s3cr+t/with=reserved~chars:and space";
        enqueueWorkingRefresh();
        FakeRefreshContext context = newContext().field(expectedClientSecretField(), awkwardSecret);

        provider().refresh(context);

        String clientId = inputFields().get(expectedClientIdField());
        String expected = expectedClientAuth() == ExpectedClientAuth.BASIC_HEADER
                ? basicHeader(clientId, awkwardSecret)
                : basicHeaderAsIssued(clientId, awkwardSecret);
        assertEquals(expected, takeRequest().getHeaders().get("Authorization"));
    }

    @Test
    void refresh_whenProviderAnswers_savesAccessTokenExpiryAndScopes() {
        server().enqueue(tokenAnswer(NEW_ACCESS_TOKEN, null, 7200L, "read  write"));
        accessCheck().ifPresent(check -> server().enqueue(check.workingAnswer()));
        FakeRefreshContext context = newContext();

        RefreshResult result = provider().refresh(context);

        assertInstanceOf(RefreshResult.Valid.class, result);
        assertEquals(1, context.saved().size());
        TokenUpdate update = context.saved().get(0);
        assertEquals(NEW_ACCESS_TOKEN, update.fields().get(OAuth2Provider.ACCESS_TOKEN));
        assertEquals(NOW.plusSeconds(7200), update.expiresAt());
        assertEquals(List.of("read", "write"), update.scopes());
        assertEquals(NEW_ACCESS_TOKEN, context.current(OAuth2Provider.ACCESS_TOKEN));
    }

    @Test
    void refresh_whenProviderRotatesToken_savesNewToken() {
        enqueueWorkingRefresh();
        FakeRefreshContext context = newContext();

        RefreshResult result = provider().refresh(context);

        assertInstanceOf(RefreshResult.Valid.class, result);
        assertEquals(1, context.saved().size());
        assertEquals(NEW_REFRESH_TOKEN, context.saved().get(0).fields().get(OAuth2Provider.REFRESH_TOKEN));
        assertEquals(NEW_REFRESH_TOKEN, context.current(OAuth2Provider.REFRESH_TOKEN));
    }

    @Test
    void refresh_whenAnswerHasNoRefreshToken_keepsOldToken() {
        server().enqueue(tokenAnswer(NEW_ACCESS_TOKEN, null, 3600L, null));
        accessCheck().ifPresent(check -> server().enqueue(check.workingAnswer()));
        FakeRefreshContext context = newContext();

        RefreshResult result = provider().refresh(context);

        assertInstanceOf(RefreshResult.Valid.class, result);
        assertEquals(1, context.saved().size());
        assertFalse(context.saved().get(0).fields().containsKey(OAuth2Provider.REFRESH_TOKEN),
                "an answer without refresh_token must not overwrite the stored one");
        assertEquals(OLD_REFRESH_TOKEN, context.current(OAuth2Provider.REFRESH_TOKEN));
    }

    @Test
    void refresh_whenAnswerHasNoExpiresIn_assumesProviderLifetime() {
        server().enqueue(tokenAnswer(NEW_ACCESS_TOKEN, NEW_REFRESH_TOKEN, null, null));
        accessCheck().ifPresent(check -> server().enqueue(check.workingAnswer()));
        FakeRefreshContext context = newContext();

        provider().refresh(context);

        assertEquals(NOW.plus(expectedAssumedLifetime()), context.saved().get(0).expiresAt());
    }

    // ---- refusals: the grower must act ----

    @Test
    void refresh_whenProviderSaysInvalidGrant_isInvalid() {
        server().enqueue(jsonAnswer(400, "{\"error\":\"invalid_grant\",\"error_description\":\"token revoked\"}"));

        assertRefusedWithoutSaving(RefreshResult.Invalid.class);
    }

    @Test
    void refresh_whenProviderSaysInvalidClient_isInvalid() {
        // 400, not 401: the error field must decide, not the status code.
        server().enqueue(jsonAnswer(400, "{\"error\":\"invalid_client\"}"));

        assertRefusedWithoutSaving(RefreshResult.Invalid.class);
    }

    @Test
    void refresh_whenProviderAnswers401_isInvalid() {
        server().enqueue(new MockResponse.Builder().code(401).build());

        assertRefusedWithoutSaving(RefreshResult.Invalid.class);
    }

    @Test
    void refresh_whenProviderAnswers403_isMissingPermission() {
        server().enqueue(new MockResponse.Builder().code(403).build());

        assertRefusedWithoutSaving(RefreshResult.MissingPermission.class);
    }

    // ---- the provider is down, slow or confused: try again later ----

    @Test
    void refresh_whenProviderRateLimits_isUnavailableWithRetryAfter() {
        server().enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "120").build());

        RefreshResult.Unavailable result = assertRefusedWithoutSaving(RefreshResult.Unavailable.class);

        assertEquals(Duration.ofSeconds(120), result.retryAfter());
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503})
    void refresh_whenProviderFails_isUnavailable(int status) {
        server().enqueue(jsonAnswer(status, "{\"error\":\"server_error\"}"));

        RefreshResult.Unavailable result = assertRefusedWithoutSaving(RefreshResult.Unavailable.class);

        assertNull(result.retryAfter());
    }

    @Test
    void refresh_whenAnswerIsMalformedJson_throwsMalformedAnswer() {
        // The token sits inside the broken body: the exception must not echo it.
        server().enqueue(jsonAnswer(200, "{\"access_token\":\"" + NEW_ACCESS_TOKEN + "\","));
        FakeRefreshContext context = newContext();

        MalformedAnswerException thrown = assertThrows(MalformedAnswerException.class, () -> provider().refresh(context));

        assertNoSecretIn(thrown.getMessage());
        assertTrue(context.saved().isEmpty());
        assertEquals(1, server().getRequestCount());
    }

    @Test
    void refresh_whenAnswerHasNoAccessToken_throwsMalformedAnswer() {
        server().enqueue(tokenAnswer(null, NEW_REFRESH_TOKEN, 3600L, null));
        FakeRefreshContext context = newContext();

        MalformedAnswerException thrown = assertThrows(MalformedAnswerException.class, () -> provider().refresh(context));

        assertNoSecretIn(thrown.getMessage());
        assertTrue(context.saved().isEmpty());
    }

    @Test
    void refresh_whenProviderDoesNotAnswerInTime_throwsUnreachable() {
        server().enqueue(new MockResponse.Builder()
                .headersDelay(REQUEST_TIMEOUT.toMillis() * 3, TimeUnit.MILLISECONDS)
                .code(200)
                .body("{}")
                .build());
        FakeRefreshContext context = newContext();

        ProviderUnreachableException thrown =
                assertThrows(ProviderUnreachableException.class, () -> provider().refresh(context));

        assertNoSecretIn(thrown.getMessage());
        assertTrue(context.saved().isEmpty());
    }

    // ---- the access check ----

    @Test
    void refresh_savesTokensBeforeAccessCheck() {
        enqueueWorkingRefresh();
        FakeRefreshContext context = newContext();

        RefreshResult result = provider().refresh(context);

        assertInstanceOf(RefreshResult.Valid.class, result);
        if (accessCheck().isEmpty()) {
            assertEquals(1, calls().size(), "a provider without access check makes only the token call");
            return;
        }
        assertEquals(2, calls().size(), "token call, then access check");
        assertEquals(0, calls().get(0).savedBefore());
        assertEquals(1, calls().get(1).savedBefore(), "the rotated token must be durable before any further call");
    }

    @Test
    void accessCheck_sendsFreshAccessToken() {
        AccessCheck check = requireAccessCheck();
        enqueueWorkingRefresh();

        provider().refresh(newContext());

        takeRequest();
        check.verifyRequest(takeRequest(), NEW_ACCESS_TOKEN);
    }

    @Test
    void accessCheck_whenApiAnswers401_isInvalidAndTokensStaySaved() {
        assertAccessCheckFailure(401, RefreshResult.Invalid.class);
    }

    @Test
    void accessCheck_whenApiAnswers403_isMissingPermissionAndTokensStaySaved() {
        assertAccessCheckFailure(403, RefreshResult.MissingPermission.class);
    }

    @Test
    void accessCheck_whenApiAnswers503_isUnavailableAndTokensStaySaved() {
        assertAccessCheckFailure(503, RefreshResult.Unavailable.class);
    }

    private AccessCheck requireAccessCheck() {
        Optional<AccessCheck> check = accessCheck();
        assumeTrue(check.isPresent(), "provider has no access check");
        return check.get();
    }

    private void assertAccessCheckFailure(int status, Class<? extends RefreshResult> expected) {
        requireAccessCheck();
        server().enqueue(tokenAnswer(NEW_ACCESS_TOKEN, NEW_REFRESH_TOKEN, 3600L, null));
        server().enqueue(new MockResponse.Builder().code(status).build());
        FakeRefreshContext context = newContext();

        RefreshResult result = provider().refresh(context);

        assertInstanceOf(expected, result);
        assertNoSecretIn(result.message());
        assertEquals(NEW_REFRESH_TOKEN, context.current(OAuth2Provider.REFRESH_TOKEN), "a failed check must not lose the rotated token");
    }

    /** Refreshes once against the queued failure; asserts the class, no save, no further call, no leaked secret. */
    private <T extends RefreshResult> T assertRefusedWithoutSaving(Class<T> expected) {
        FakeRefreshContext context = newContext();

        RefreshResult result = provider().refresh(context);

        assertInstanceOf(expected, result, () -> "got " + result);
        assertTrue(context.saved().isEmpty(), "nothing may be saved from a failed token answer");
        assertEquals(OLD_REFRESH_TOKEN, context.current(OAuth2Provider.REFRESH_TOKEN));
        assertEquals(1, server().getRequestCount(), "no call may follow a failed token answer");
        assertNoSecretIn(result.message());
        return expected.cast(result);
    }

    // ---- revocation (RFC 7009), for providers whose descriptor declares a REVOKE_URL ----

    private boolean revokes() {
        return provider().descriptor().endpoint(EndpointKind.REVOKE_URL, environment()).isPresent();
    }

    /**
     * The request of RFC 7009 section 2.1, replayed literally: client {@code s6BhdRkqt3} with secret
     * {@code gX1fBat3bV} revokes refresh token {@code 45ghiukldjahdnhzdauz}; the server answers 200.
     */
    @Test
    void revoke_replaysTheRfc7009Example_andA200IsSuccess() {
        assumeTrue(revokes(), "provider declares no REVOKE_URL");
        server.enqueue(new MockResponse.Builder().code(200).build());
        FakeRefreshContext context = newContext()
                .field(expectedClientIdField(), "s6BhdRkqt3")
                .field(expectedClientSecretField(), "gX1fBat3bV")
                .field(OAuth2Provider.REFRESH_TOKEN, "45ghiukldjahdnhzdauz");

        assertTrue(provider().revoke(context));

        RecordedRequest request = takeRequest();
        assertEquals("POST", request.getMethod());
        assertEquals(REVOKE_PATH, request.getTarget());
        assertTrue(request.getHeaders().get("Content-Type").startsWith("application/x-www-form-urlencoded"));
        Map<String, String> form = parseForm(request.getBody().utf8());
        assertEquals("45ghiukldjahdnhzdauz", form.get("token"));
        assertEquals("refresh_token", form.get("token_type_hint"));
        switch (expectedClientAuth()) {
            case BASIC_HEADER -> {
                assertEquals("Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW", request.getHeaders().get("Authorization"));
                assertEquals("token=45ghiukldjahdnhzdauz&token_type_hint=refresh_token", request.getBody().utf8());
            }
            case BODY_PARAMETERS -> {
                assertEquals("s6BhdRkqt3", form.get("client_id"));
                assertEquals("gX1fBat3bV", form.get("client_secret"));
            }
            default -> assertEquals("s6BhdRkqt3", form.get("client_id"));
        }
    }

    /** RFC 7009 section 2.2: "invalid tokens do not cause an error response" — 200, a success. */
    @Test
    void revoke_ofATokenTheServerDoesNotKnow_answered200_isSuccess() {
        assumeTrue(revokes(), "provider declares no REVOKE_URL");
        server.enqueue(new MockResponse.Builder().code(200).build());
        assertTrue(provider().revoke(newContext().field(OAuth2Provider.REFRESH_TOKEN, "never-issued")));
    }

    /** RFC 7009 section 2.2.1: 503 means the token was not revoked; a failure the host logs, naming no secret. */
    @Test
    void revoke_answered503_failsWithoutSecrets() {
        assumeTrue(revokes(), "provider declares no REVOKE_URL");
        server.enqueue(jsonAnswer(503, "{\"error\":\"temporarily_unavailable\"}"));
        RevocationFailedException failure = assertThrows(RevocationFailedException.class, () -> provider().revoke(newContext()));
        assertTrue(failure.getMessage().contains("503"), failure.getMessage());
        assertNoSecretIn(failure.getMessage());
    }

    @Test
    void revoke_withoutARevokeUrl_asksNothing() {
        assumeTrue(!revokes(), "provider declares a REVOKE_URL");
        assertFalse(provider().revoke(newContext()));
        assertTrue(calls().isEmpty());
    }

    // ---- small tools ----

    /** {@code client_secret_basic} per RFC 6749 section 2.3.1: id and secret form-encoded, then base64. */
    public static String basicHeader(String id, String secret) {
        String pair = URLEncoder.encode(id, StandardCharsets.UTF_8) + ":" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code client_secret_basic} as many servers expect it: {@code base64(id:secret)} of the values as issued. */
    public static String basicHeaderAsIssued(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    public static Map<String, String> parseForm(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        if (body.isEmpty()) {
            return form;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                fail("form pair without '=': " + pair);
            }
            String name = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
            String previous = form.put(name, URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            assertNull(previous, "form parameter sent twice: " + name);
        }
        return form;
    }

    /** One outbound call, with the number of token updates saved at the moment it was sent. */
    public record RecordedCall(ProviderRequest request, int savedBefore) {
    }

    /** Wraps the real HTTP client to record ordering against {@link FakeRefreshContext#saved()}. */
    private static final class RecordingHttp implements ProviderHttp {
        private final ProviderHttp delegate;
        private final List<RecordedCall> calls = new ArrayList<>();
        private FakeRefreshContext context;

        RecordingHttp(ProviderHttp delegate) {
            this.delegate = delegate;
        }

        @Override
        public ProviderResponse send(ProviderRequest request) {
            calls.add(new RecordedCall(request, context == null ? 0 : context.saved().size()));
            return delegate.send(request);
        }
    }
}
