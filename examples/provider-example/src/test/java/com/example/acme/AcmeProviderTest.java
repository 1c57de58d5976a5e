package com.example.acme;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.granary.spi.OAuth2Provider;
import io.granary.testkit.OAuth2ProviderContract;
import java.util.Map;
import java.util.Optional;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/** The kit's refresh-token matrix (rotation, refusals, 5xx, garbage, timeouts, the access check) run against Acme. */
final class AcmeProviderTest extends OAuth2ProviderContract {

    @Override
    protected OAuth2Provider provider() {
        return new AcmeProvider();
    }

    @Override
    protected Map<String, String> inputFields() {
        return Map.of("clientId", "acme-app", "clientSecret", "acme-secret");
    }

    @Override
    protected ExpectedClientAuth expectedClientAuth() {
        return ExpectedClientAuth.BASIC_HEADER;
    }

    @Override
    protected Optional<AccessCheck> accessCheck() {
        return Optional.of(new AccessCheck() {
            @Override
            public MockResponse workingAnswer() {
                return jsonAnswer(200, "{\"sub\":\"grower-1\"}");
            }

            @Override
            public void verifyRequest(RecordedRequest request, String accessToken) {
                assertEquals("GET", request.getMethod());
                assertEquals(API_PATH + "/userinfo", request.getTarget());
                assertEquals("Bearer " + accessToken, request.getHeaders().get("Authorization"));
            }
        });
    }
}
