package io.granary.provider.others;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.spi.AuthorizationRequest;
import io.granary.spi.Environment;
import io.granary.spi.OAuth2Provider;
import io.granary.spi.RefreshResult;
import io.granary.testkit.FakeRefreshContext;
import io.granary.testkit.OAuth2ProviderContract;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

final class ClimateFieldViewProviderTest extends OAuth2ProviderContract {

    private static final String API_KEY = "climate-api-key-4d8e";

    @Override
    protected OAuth2Provider provider() {
        return new ClimateFieldViewProvider();
    }

    @Override
    protected Map<String, String> inputFields() {
        return Map.of("clientId", "climate-client", "clientSecret", "climate-client-secret-0f1e", "apiKey", API_KEY);
    }

    @Override
    protected ExpectedClientAuth expectedClientAuth() {
        return ExpectedClientAuth.BASIC_HEADER_AS_ISSUED;
    }

    @Override
    protected Map<String, String> expectedExtraTokenHeaders() {
        return Map.of("X-Api-Key", API_KEY);
    }

    @Override
    protected Duration expectedAssumedLifetime() {
        return Duration.ofHours(4);
    }

    @Override
    protected Optional<AccessCheck> accessCheck() {
        return Optional.of(new AccessCheck() {
            @Override
            public MockResponse workingAnswer() {
                return jsonAnswer(200, "{\"results\":[{\"id\":\"f1\"}]}");
            }

            @Override
            public void verifyRequest(RecordedRequest request, String accessToken) {
                assertEquals("GET", request.getMethod());
                assertEquals(API_PATH + "/v4/fields", request.getTarget());
                assertEquals("Bearer " + accessToken, request.getHeaders().get("Authorization"));
                assertEquals(API_KEY, request.getHeaders().get("X-Api-Key"));
                assertEquals("1", request.getHeaders().get("X-Limit"));
            }
        });
    }

    @Test
    void accessCheck_whenMoreFieldsExist_206CountsAsWorking() {
        // Climate answers 206 Partial Content when the list has more pages than X-Limit allows.
        server().enqueue(tokenAnswer(NEW_ACCESS_TOKEN, NEW_REFRESH_TOKEN, 14400L, null));
        server().enqueue(jsonAnswer(206, "{\"results\":[{\"id\":\"f1\"}]}"));

        RefreshResult result = provider().refresh(newContext());

        assertInstanceOf(RefreshResult.Valid.class, result);
    }

    @Test
    void accessCheck_whenGrowerHasNoFields_304WithoutBodyCountsAsWorking() {
        // OpenAPI 4.0.11, Pagination: "If there are no results, a response code of 304 will be returned."
        server().enqueue(tokenAnswer(NEW_ACCESS_TOKEN, NEW_REFRESH_TOKEN, 14400L, null));
        server().enqueue(new MockResponse.Builder().code(304).build());
        FakeRefreshContext context = newContext();

        RefreshResult result = provider().refresh(context);

        assertInstanceOf(RefreshResult.Valid.class, result);
        assertTrue(result.message().contains("no fields"), result.message());
        assertEquals(NEW_REFRESH_TOKEN, context.current(OAuth2Provider.REFRESH_TOKEN));
    }

    @Test
    void accessCheck_whenThrottled_documented429BodyIsUnavailable() {
        // OpenAPI 4.0.11, Request Limits: HTTP/1.1 429 {"message":"Too Many Requests"}, optionally Retry-After.
        server().enqueue(tokenAnswer(NEW_ACCESS_TOKEN, NEW_REFRESH_TOKEN, 14400L, null));
        server().enqueue(jsonAnswer(429, "{\"message\":\"Too Many Requests\"}").newBuilder().addHeader("Retry-After", "30").build());

        RefreshResult result = provider().refresh(newContext());

        assertEquals(Duration.ofSeconds(30), assertInstanceOf(RefreshResult.Unavailable.class, result).retryAfter());
    }

    @Test
    void authorizationUrl_asksPublishedScopesNotPlatform_andCarriesPageOidcauthn() {
        String url = ((ClimateFieldViewProvider) provider()).authorizationUrl(new AuthorizationRequest(
                "https://climate.com/static/app-login/index.html", Environment.PRODUCTION, "climate-client",
                "https://app.example/callback", "state-1", null, Map.of()));

        Map<String, String> query = parseForm(URI.create(url).getRawQuery());
        assertEquals("oidcauthn", query.get("page"));
        assertEquals("fields:read asPlanted:read asHarvested:read asApplied:read resourceOwners:read farmOrganizations:read", query.get("scope"));
        assertFalse(query.get("scope").contains("platform"));
        assertEquals("code", query.get("response_type"));
    }
}
