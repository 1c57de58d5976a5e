package io.granary.provider.others;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.spi.AuthorizationRequest;
import io.granary.spi.EndpointKind;
import io.granary.spi.Environment;
import io.granary.spi.OAuth2Provider;
import io.granary.spi.RefreshResult;
import io.granary.testkit.FakeRefreshContext;
import io.granary.testkit.OAuth2ProviderContract;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class CnhiProviderTest extends OAuth2ProviderContract {

    private static final String SUBSCRIPTION_KEY = "cnhi-subscription-key-6b2a";

    @Override
    protected OAuth2Provider provider() {
        return new CnhiProvider();
    }

    @Override
    protected Map<String, String> inputFields() {
        return Map.of("clientId", "cnhi-client", "clientSecret", "cnhi-client-secret-1d9c", "subscriptionKey", SUBSCRIPTION_KEY);
    }

    @Override
    protected ExpectedClientAuth expectedClientAuth() {
        return ExpectedClientAuth.BODY_PARAMETERS;
    }

    @Override
    protected Optional<AccessCheck> accessCheck() {
        return Optional.of(new AccessCheck() {
            @Override
            public MockResponse workingAnswer() {
                return jsonAnswer(200, "{\"companies\":[{\"id\":\"c1\"}]}");
            }

            @Override
            public void verifyRequest(RecordedRequest request, String accessToken) {
                assertEquals("GET", request.getMethod());
                // Not Auth0's /userinfo (401 for an audience token without openid): the API host's profile route.
                assertEquals(API_PATH + "/v2/myUserProfile", request.getTarget());
                assertEquals("Bearer " + accessToken, request.getHeaders().get("Authorization"));
                assertEquals(SUBSCRIPTION_KEY, request.getHeaders().get("Ocp-Apim-Subscription-Key"));
            }
        });
    }

    @Test
    void accessCheck_whenSubscriptionKeyRefused_apimAnswer401IsInvalid() {
        // Azure API Management's answer to a missing or wrong Ocp-Apim-Subscription-Key.
        server().enqueue(tokenAnswer(NEW_ACCESS_TOKEN, NEW_REFRESH_TOKEN, 86400L, null));
        server().enqueue(jsonAnswer(401, "{ \"statusCode\": 401, \"message\": \"Access denied due to invalid subscription key."
                + " Make sure to provide a valid key for an active subscription.\" }"));
        FakeRefreshContext context = newContext();

        RefreshResult result = provider().refresh(context);

        assertInstanceOf(RefreshResult.Invalid.class, result);
        assertEquals(NEW_REFRESH_TOKEN, context.current(OAuth2Provider.REFRESH_TOKEN));
    }

    @Test
    void accessCheck_whenApiUrlIsWrong404_isUnavailableNamingTheSetting() {
        server().enqueue(tokenAnswer(NEW_ACCESS_TOKEN, NEW_REFRESH_TOKEN, 86400L, null));
        server().enqueue(new MockResponse.Builder().code(404).build());

        RefreshResult result = provider().refresh(newContext());

        assertTrue(assertInstanceOf(RefreshResult.Unavailable.class, result).message().contains("GRANARY_PROVIDER_CNHI_PRODUCTION_API_URL"));
    }

    @ParameterizedTest
    @CsvSource({"PRODUCTION, PROD-ADFS-CONN, https://ag.api.cnhind.com", "STAGE, STG-ADFS-CONN, https://stg.api.cnhind.com"})
    void authorizationUrl_carriesConnectionAndAudienceOfTheEnvironment(Environment environment, String connection, String audience) {
        String url = new CnhiProvider().authorizationUrl(new AuthorizationRequest("https://identity.cnhind.com/authorize",
                environment, "cnhi-client", "https://app.example/callback", "state-1", null, Map.of()));

        // develop.cnh.com fieldops-api/tokens: ...&scope=offline_access&connection=PROD-ADFS-CONN&...&audience=https://ag.api.cnhind.com
        Map<String, String> query = parseForm(URI.create(url).getRawQuery());
        assertEquals(connection, query.get("connection"));
        assertEquals(audience, query.get("audience"));
        assertEquals("offline_access", query.get("scope"));
    }

    @Test
    void descriptor_defaultsToProduction() {
        assertEquals(Environment.PRODUCTION, provider().descriptor().defaultEnvironment());
    }

    @Test
    void authorizationUrl_asksForOfflineAccessAndTheEnvironmentsAudience() {
        String stage = new CnhiProvider().authorizationUrl(new AuthorizationRequest("https://stg.identity.cnhind.com/authorize",
                Environment.STAGE, "c", "https://app.example/cb", "s", null, Map.of()));
        assertTrue(stage.contains("scope=offline_access"), stage);
        assertTrue(stage.contains("audience=https%3A%2F%2Fstg.api.cnhind.com"), stage);
        assertFalse(stage.contains("code_challenge"), "no challenge given, none sent: " + stage);
    }
}
