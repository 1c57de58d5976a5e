package io.granary.provider.others;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.spi.AuthorizationRequest;
import io.granary.spi.EndpointKind;
import io.granary.spi.Environment;
import io.granary.spi.OAuth2Provider;
import io.granary.spi.ProviderDescriptor;
import io.granary.testkit.OAuth2ProviderContract;
import java.util.Map;
import java.util.Optional;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

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
                return jsonAnswer(200, "{\"sub\":\"auth0|123\"}");
            }

            @Override
            public void verifyRequest(RecordedRequest request, String accessToken) {
                assertEquals("GET", request.getMethod());
                // userinfo sits at the root of the identity host that issued the token.
                assertEquals("/userinfo", request.getTarget());
                assertEquals("Bearer " + accessToken, request.getHeaders().get("Authorization"));
                assertEquals(SUBSCRIPTION_KEY, request.getHeaders().get("Ocp-Apim-Subscription-Key"));
            }
        });
    }

    @Test
    void userInfoUrl_followsTheTokenHostOfEachEnvironment() {
        ProviderDescriptor descriptor = provider().descriptor();
        assertEquals("https://identity.cnhind.com/userinfo", CnhiProvider.userInfoUrl(
                descriptor.endpoint(EndpointKind.TOKEN_URL, Environment.PRODUCTION).orElseThrow().defaultUrl()));
        assertEquals("https://stg.identity.cnhind.com/userinfo", CnhiProvider.userInfoUrl(
                descriptor.endpoint(EndpointKind.TOKEN_URL, Environment.STAGE).orElseThrow().defaultUrl()));
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
