package io.granary.provider.others;

import static io.granary.provider.others.MockProvider.NOW;
import static io.granary.provider.others.MockProvider.assertNoSecretIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.spi.Environment;
import io.granary.spi.Json;
import io.granary.spi.MalformedAnswerException;
import io.granary.spi.ProviderUnreachableException;
import io.granary.spi.RefreshResult;
import io.granary.testkit.FakeRefreshContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class SenteraProviderTest {

    private static final String PASSWORD = "sentera-password-7e3d";
    private static final String AUTH_TOKEN = "sentera-auth-token-5b9a";

    private final MockProvider mock = new MockProvider();
    private final SenteraProvider provider = new SenteraProvider();

    @AfterEach
    void stop() {
        mock.close();
    }

    private FakeRefreshContext context() {
        return mock.context(Environment.PRODUCTION, "/v1/sessions", "/graphql")
                .field("username", "grower@example.com")
                .field("password", PASSWORD)
                .field("organizationName", "North Farms");
    }

    private void enqueueLogin() {
        mock.enqueueJson(200, "{\"auth_token\":\"" + AUTH_TOKEN + "\"}");
    }

    private static String organizations(String... idAndName) {
        List<Map<String, Object>> results = new ArrayList<>();
        for (int i = 0; i < idAndName.length; i += 2) {
            results.add(Map.of("sentera_id", idAndName[i], "name", idAndName[i + 1]));
        }
        return Json.write(Map.of("data", Map.of("organizations", Map.of("total_count", results.size(), "results", results))));
    }

    @Test
    void refresh_whenLoginAndLookupWork_sendsDocumentedRequests() {
        enqueueLogin();
        mock.enqueueJson(200, organizations("org-1", "South Farms", "org-2", "North Farms"));

        provider.refresh(context());

        RecordedRequest login = mock.take();
        assertEquals("POST", login.getMethod());
        assertEquals("/v1/sessions", login.getTarget());
        assertEquals("application/json", login.getHeaders().get("Content-Type"));
        // SenteraLLC/py-sentera-api sentera/auth.py get_auth_token(): the session carries platform_id "API" and version_id "1.0.0".
        assertEquals(Map.of("session", Map.of("email", "grower@example.com", "password", PASSWORD,
                "platform_id", "API", "version_id", "1.0.0")), Json.parse(MockProvider.body(login)));
        RecordedRequest query = mock.take();
        assertEquals("POST", query.getMethod());
        assertEquals("/graphql", query.getTarget());
        assertEquals("Bearer " + AUTH_TOKEN, query.getHeaders().get("Authorization"));
        Map<?, ?> body = (Map<?, ?>) Json.parse(MockProvider.body(query));
        assertEquals(SenteraProvider.ORGANIZATIONS_QUERY, body.get("query"));
        assertEquals(Map.of("page", 1L, "pageSize", 100L), numbersAsLongs((Map<?, ?>) body.get("variables")));
    }

    @Test
    void refresh_whenLoginWorks_savesTokenFirstThenOrganization() {
        enqueueLogin();
        mock.enqueueJson(200, organizations("org-2", "north farms "));
        FakeRefreshContext context = context();

        RefreshResult result = provider.refresh(context);

        assertInstanceOf(RefreshResult.Valid.class, result);
        assertEquals(2, context.saved().size());
        assertEquals(Map.of("authToken", AUTH_TOKEN), context.saved().get(0).fields());
        assertEquals(NOW.plus(Duration.ofDays(90)), context.saved().get(0).expiresAt());
        assertEquals(Map.of("organizationId", "org-2"), context.saved().get(1).fields());
        // The second save must not shorten or clear the session's expiry.
        assertEquals(NOW.plus(Duration.ofDays(90)), context.saved().get(1).expiresAt());
    }

    @Test
    void refresh_whenOrganizationIsOnSecondPage_pagesOn() {
        enqueueLogin();
        List<String> firstPage = new ArrayList<>();
        for (int i = 0; i < SenteraProvider.PAGE_SIZE; i++) {
            firstPage.add("org-" + i);
            firstPage.add("Other " + i);
        }
        mock.enqueueJson(200, organizations(firstPage.toArray(String[]::new)));
        mock.enqueueJson(200, organizations("org-x", "North Farms"));
        FakeRefreshContext context = context();

        RefreshResult result = provider.refresh(context);

        assertInstanceOf(RefreshResult.Valid.class, result);
        assertEquals("org-x", context.current("organizationId"));
        assertEquals(3, mock.requestCount());
    }

    @Test
    void refresh_whenOrganizationNotFound_isMissingPermissionButKeepsToken() {
        enqueueLogin();
        mock.enqueueJson(200, organizations("org-1", "South Farms"));
        FakeRefreshContext context = context();

        RefreshResult result = provider.refresh(context);

        assertInstanceOf(RefreshResult.MissingPermission.class, result);
        assertEquals(AUTH_TOKEN, context.current("authToken"));
        assertEquals(null, context.current("organizationId"));
    }

    @Test
    void refresh_whenGraphqlAnswersErrorsWith200_isMissingPermission() {
        enqueueLogin();
        mock.enqueueJson(200, "{\"data\":null,\"errors\":[{\"message\":\"Not authorized\"}]}");

        RefreshResult result = provider.refresh(context());

        assertInstanceOf(RefreshResult.MissingPermission.class, result);
        assertNoSecretIn(result.message(), PASSWORD, AUTH_TOKEN);
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 422})
    void refresh_whenLoginRefused_isInvalid(int status) {
        mock.enqueueJson(status, "{\"errors\":[\"Invalid email or password\"]}");
        FakeRefreshContext context = context();

        RefreshResult result = provider.refresh(context);

        assertInstanceOf(RefreshResult.Invalid.class, result);
        assertTrue(context.saved().isEmpty());
        assertEquals(1, mock.requestCount());
        assertNoSecretIn(result.message(), PASSWORD);
    }

    @Test
    void refresh_whenLoginAnswers403_isMissingPermission() {
        mock.enqueueStatus(403);

        assertInstanceOf(RefreshResult.MissingPermission.class, provider.refresh(context()));
    }

    @Test
    void refresh_whenLoginRateLimited_isUnavailableWithRetryAfter() {
        mock.enqueueRateLimit("45");

        RefreshResult result = provider.refresh(context());

        assertEquals(Duration.ofSeconds(45), assertInstanceOf(RefreshResult.Unavailable.class, result).retryAfter());
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503})
    void refresh_whenLoginFails_isUnavailable(int status) {
        mock.enqueueStatus(status);

        assertInstanceOf(RefreshResult.Unavailable.class, provider.refresh(context()));
    }

    @Test
    void refresh_whenGraphqlIsDown_isUnavailableButKeepsToken() {
        enqueueLogin();
        mock.enqueueStatus(503);
        FakeRefreshContext context = context();

        assertInstanceOf(RefreshResult.Unavailable.class, provider.refresh(context));
        assertEquals(AUTH_TOKEN, context.current("authToken"));
    }

    @Test
    void refresh_whenLoginAnswerIsMalformed_throwsMalformedAnswer() {
        mock.enqueueJson(200, "{\"auth_token\":");
        FakeRefreshContext context = context();

        assertThrows(MalformedAnswerException.class, () -> provider.refresh(context));
        assertTrue(context.saved().isEmpty());
    }

    @Test
    void refresh_whenLoginAnswerLacksToken_throwsMalformedAnswer() {
        mock.enqueueJson(200, "{\"user\":{\"email\":\"grower@example.com\"}}");

        assertThrows(MalformedAnswerException.class, () -> provider.refresh(context()));
    }

    @Test
    void refresh_whenGraphqlAnswerHasNoResults_throwsMalformedAnswer() {
        enqueueLogin();
        mock.enqueueJson(200, "{\"data\":{}}");

        assertThrows(MalformedAnswerException.class, () -> provider.refresh(context()));
    }

    @Test
    void refresh_whenSenteraIsTooSlow_throwsUnreachable() {
        mock.enqueueTooSlow();

        ProviderUnreachableException thrown = assertThrows(ProviderUnreachableException.class, () -> provider.refresh(context()));

        assertNoSecretIn(thrown.getMessage(), PASSWORD);
    }

    private static Map<String, Long> numbersAsLongs(Map<?, ?> json) {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        json.forEach((k, v) -> out.put((String) k, ((Number) v).longValue()));
        return out;
    }
}
