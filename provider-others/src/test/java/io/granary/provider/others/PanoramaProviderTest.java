package io.granary.provider.others;

import static io.granary.provider.others.MockProvider.NOW;
import static io.granary.provider.others.MockProvider.assertNoSecretIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.spi.Environment;
import io.granary.spi.Json;
import io.granary.spi.MalformedAnswerException;
import io.granary.spi.RefreshResult;
import io.granary.spi.UnverifiedDefaultsWarning;
import io.granary.testkit.FakeRefreshContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Panorama against a local Cognito and partner API that answer as documented: AWS API_InitiateAuth (AWS JSON 1.1,
 * {@code AuthenticationResult}, errors as 400 with {@code __type}) and the public partner sample's sharing route.
 */
final class PanoramaProviderTest {

    private static final String CLIENT_ID = "3n4b5urk1ft4fl3mg5e62d9ado";
    private static final String REFRESH_TOKEN = "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIn0.old-refresh";
    private static final String PASSWORD = "partner-password-9c1f";

    /** Shaped as the API_InitiateAuth reference's REFRESH_TOKEN_AUTH example: no RefreshToken in the result. */
    private static final String REFRESH_ANSWER = "{\"AuthenticationResult\":{\"AccessToken\":\"eyJra456defEXAMPLE\","
            + "\"ExpiresIn\":3600,\"IdToken\":\"eyJra789ghiEXAMPLE\",\"TokenType\":\"Bearer\"},\"ChallengeParameters\":{}}";
    /** A USER_PASSWORD_AUTH answer carries a RefreshToken too. */
    private static final String LOGIN_ANSWER = "{\"AuthenticationResult\":{\"AccessToken\":\"eyJra111newEXAMPLE\","
            + "\"ExpiresIn\":3600,\"IdToken\":\"eyJra222idEXAMPLE\",\"RefreshToken\":\"eyJjdHk.new-refresh\",\"TokenType\":\"Bearer\"},"
            + "\"ChallengeParameters\":{}}";
    /** The partner sample reads sharing/{orgCode} as a list of elements with {@code fields}. */
    private static final String SHARING_ANSWER = "[{\"name\":\"North farm\",\"fields\":[{\"uuid\":\"f-1\",\"name\":\"Field 1\"}]}]";

    private final MockProvider mock = new MockProvider();
    private final List<String> warnings = new ArrayList<>();
    private final PanoramaProvider provider = new PanoramaProvider(new UnverifiedDefaultsWarning(warnings::add));

    @AfterEach
    void stop() {
        mock.close();
    }

    private FakeRefreshContext context() {
        return mock.context(Environment.STAGE, "/", "/api")
                .field("clientId", CLIENT_ID)
                .field("organizationCode", "ORG 42")
                .field("refreshToken", REFRESH_TOKEN);
    }

    private FakeRefreshContext contextWithPassword() {
        return context().field("username", "partner@example.com").field("password", PASSWORD);
    }

    private static MockResponse cognito(int status, String body) {
        return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/x-amz-json-1.1").body(body).build();
    }

    private static String error(String type, String message) {
        return "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}";
    }

    // ---- the wire format ----

    @Test
    void refresh_postsInitiateAuthRefreshTokenAuth_savesAccessToken_keepsRefreshToken_checksSharing() {
        mock.enqueue(cognito(200, REFRESH_ANSWER));
        mock.enqueueJson(200, SHARING_ANSWER);
        FakeRefreshContext context = context();

        RefreshResult result = provider.refresh(context);

        assertInstanceOf(RefreshResult.Valid.class, result);
        RecordedRequest initiate = mock.take();
        assertEquals("POST", initiate.getMethod());
        assertEquals("/", initiate.getTarget());
        assertEquals("AWSCognitoIdentityProviderService.InitiateAuth", initiate.getHeaders().get("X-Amz-Target"));
        assertEquals("application/x-amz-json-1.1", initiate.getHeaders().get("Content-Type"));
        assertEquals(Map.of("AuthFlow", "REFRESH_TOKEN_AUTH", "ClientId", CLIENT_ID, "AuthParameters", Map.of("REFRESH_TOKEN", REFRESH_TOKEN)),
                Json.parse(MockProvider.body(initiate)));
        assertEquals(1, context.saved().size());
        assertEquals(Map.of("accessToken", "eyJra456defEXAMPLE"), context.saved().get(0).fields());
        assertEquals(NOW.plusSeconds(3600), context.saved().get(0).expiresAt());
        assertEquals(REFRESH_TOKEN, context.current("refreshToken"), "Cognito sent no new refresh token: keep the old one");

        RecordedRequest sharing = mock.take();
        assertEquals("GET", sharing.getMethod());
        assertEquals("/api/sharing/ORG%2042", sharing.getTarget());
        assertEquals("Bearer eyJra456defEXAMPLE", sharing.getHeaders().get("Authorization"));
    }

    @Test
    void refresh_whenPoolRotatesRefreshTokens_savesTheNewOne() {
        mock.enqueue(cognito(200, LOGIN_ANSWER));
        mock.enqueueJson(200, SHARING_ANSWER);
        FakeRefreshContext context = context();

        provider.refresh(context);

        assertEquals("eyJjdHk.new-refresh", context.current("refreshToken"));
    }

    // ---- a dead refresh token ----

    @Test
    void refresh_whenRefreshTokenRevoked_andNoPassword_isInvalidWithoutFurtherCalls() {
        mock.enqueue(cognito(400, error("NotAuthorizedException", "Refresh Token has been revoked")));
        FakeRefreshContext context = context();

        RefreshResult result = provider.refresh(context);

        assertInstanceOf(RefreshResult.Invalid.class, result);
        assertEquals(1, mock.requestCount());
        assertTrue(context.saved().isEmpty());
        assertNoSecretIn(result.message(), REFRESH_TOKEN);
    }

    @Test
    void refresh_whenRefreshTokenDead_andPasswordOnCredential_logsInAgainAndStoresNewRefreshToken() {
        mock.enqueue(cognito(400, error("NotAuthorizedException", "Invalid Refresh Token")));
        mock.enqueue(cognito(200, LOGIN_ANSWER));
        mock.enqueueJson(200, SHARING_ANSWER);
        FakeRefreshContext context = contextWithPassword();

        RefreshResult result = provider.refresh(context);

        assertInstanceOf(RefreshResult.Valid.class, result);
        mock.take();
        RecordedRequest login = mock.take();
        assertEquals("AWSCognitoIdentityProviderService.InitiateAuth", login.getHeaders().get("X-Amz-Target"));
        assertEquals(Map.of("AuthFlow", "USER_PASSWORD_AUTH", "ClientId", CLIENT_ID,
                        "AuthParameters", Map.of("USERNAME", "partner@example.com", "PASSWORD", PASSWORD)),
                Json.parse(MockProvider.body(login)));
        assertEquals("eyJjdHk.new-refresh", context.current("refreshToken"));
        assertEquals("eyJra111newEXAMPLE", context.current("accessToken"));
    }

    @Test
    void refresh_whenPasswordAlsoRefused_isInvalidAndLeaksNothing() {
        mock.enqueue(cognito(400, error("NotAuthorizedException", "Refresh Token has expired")));
        mock.enqueue(cognito(400, error("NotAuthorizedException", "Incorrect username or password.")));
        FakeRefreshContext context = contextWithPassword();

        RefreshResult result = provider.refresh(context);

        assertInstanceOf(RefreshResult.Invalid.class, result);
        assertEquals(2, mock.requestCount());
        assertTrue(context.saved().isEmpty());
        assertNoSecretIn(result.message(), REFRESH_TOKEN, PASSWORD);
    }

    @Test
    void refresh_whenLoginAnswersAChallenge_isInvalid() {
        mock.enqueue(cognito(400, error("NotAuthorizedException", "Invalid Refresh Token")));
        mock.enqueue(cognito(200, "{\"ChallengeName\":\"NEW_PASSWORD_REQUIRED\",\"Session\":\"AYABeEXAMPLE\",\"ChallengeParameters\":{}}"));

        RefreshResult result = provider.refresh(contextWithPassword());

        assertTrue(assertInstanceOf(RefreshResult.Invalid.class, result).message().contains("NEW_PASSWORD_REQUIRED"));
    }

    // ---- try later, or fix a setting ----

    @ParameterizedTest
    @CsvSource({
            "400, TooManyRequestsException, Rate exceeded",
            "400, LimitExceededException, Attempt limit exceeded, please try after some time.",
            "500, InternalErrorException, Internal server error"})
    void refresh_whenThrottledOrFailing_isUnavailable(int status, String type, String message) {
        mock.enqueue(cognito(status, error(type, message)));
        FakeRefreshContext context = context();

        RefreshResult result = provider.refresh(context);

        assertInstanceOf(RefreshResult.Unavailable.class, result);
        assertTrue(context.saved().isEmpty());
        assertTrue(warnings.isEmpty(), "a documented Cognito error is no sign of wrong defaults: " + warnings);
    }

    @Test
    void refresh_whenBare503_isUnavailableWithRetryAfter() {
        mock.enqueue(new MockResponse.Builder().code(503).addHeader("Retry-After", "20").build());

        RefreshResult result = provider.refresh(context());

        assertEquals(Duration.ofSeconds(20), assertInstanceOf(RefreshResult.Unavailable.class, result).retryAfter());
    }

    @Test
    void refresh_whenAppClientUnknownInRegion_isUnavailableNamingTheSetting() {
        mock.enqueue(cognito(400, error("ResourceNotFoundException", "User pool client 3n4b5urk1ft4fl3mg5e62d9ado does not exist.")));

        RefreshResult result = provider.refresh(context());

        String message = assertInstanceOf(RefreshResult.Unavailable.class, result).message();
        assertTrue(message.contains("GRANARY_PROVIDER_PANORAMA_STAGE_TOKEN_URL"), message);
    }

    @Test
    void refresh_whenSuccessLacksAuthenticationResult_throwsMalformedAndWarns() {
        // A 200 that is not Cognito's (a wrong TOKEN_URL setting pointing at some web page) also hints at wrong defaults.
        mock.enqueue(new MockResponse.Builder().code(200).body("<html>not cognito</html>").build());

        assertThrows(MalformedAnswerException.class, () -> provider.refresh(context()));
        assertEquals(1, warnings.size(), warnings.toString());
    }

    // ---- the sharing check ----

    @ParameterizedTest
    @CsvSource({"401, Invalid", "403, MissingPermission", "404, MissingPermission", "503, Unavailable"})
    void sharingCheck_mapsItsAnswer_andKeepsSavedTokens(int status, String expected) {
        mock.enqueue(cognito(200, REFRESH_ANSWER));
        mock.enqueueStatus(status);
        FakeRefreshContext context = context();

        RefreshResult result = provider.refresh(context);

        assertEquals(expected, result.getClass().getSimpleName());
        assertEquals("eyJra456defEXAMPLE", context.current("accessToken"));
    }

    // ---- unverified defaults ----

    @Test
    void unrecognisedAnswer_warnsOnceThatDefaultsMayBeWrong_namingTheSettings() {
        mock.enqueue(new MockResponse.Builder().code(404).body("<html>Not Found</html>").build());
        mock.enqueue(new MockResponse.Builder().code(404).body("<html>Not Found</html>").build());

        provider.refresh(context());
        provider.refresh(context());

        assertEquals(1, warnings.size(), warnings.toString());
        String warning = warnings.get(0);
        assertTrue(warning.contains("may be wrong"), warning);
        assertTrue(warning.contains("GRANARY_PROVIDER_PANORAMA_STAGE_TOKEN_URL"), warning);
        assertTrue(warning.contains("GRANARY_PROVIDER_PANORAMA_STAGE_API_URL"), warning);
        assertNoSecretIn(warning, REFRESH_TOKEN, CLIENT_ID);
    }

    @Test
    void recognisedAnswers_doNotWarn() {
        mock.enqueue(cognito(400, error("NotAuthorizedException", "Refresh Token has been revoked")));

        provider.refresh(context());

        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void descriptor_marksDefaultsUnverified_andPasswordIsNeverAnswered() {
        assertFalse(provider.descriptor().defaultsVerified());
        assertNull(provider.descriptor().field("password").map(f -> f.required() ? "required" : null).orElse(null));
    }
}
