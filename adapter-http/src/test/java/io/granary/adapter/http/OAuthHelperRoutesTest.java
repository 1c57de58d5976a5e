package io.granary.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.testkit.FakeTokenServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class OAuthHelperRoutesTest {

    private static final String HELPER = "/services/oauth/api/test-oauth";
    private final TestApi api = TestApi.start();
    private final String token = api.ownerToken("helper@farmapp.example");

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void getUrl_answersTheProvidersConsentUrl() {
        HttpResponse<String> answer = api.send("POST", HELPER + "/get_url", token,
                "{\"client_id\":\"" + FakeTokenServer.CLIENT_ID + "\",\"client_secret\":\"" + FakeTokenServer.CLIENT_SECRET
                        + "\",\"client_redirect_url\":\"https://farmapp.example/callback\"}");
        assertEquals(200, answer.statusCode(), answer.body());
        String url = (String) TestApi.map(answer).get("url");
        assertTrue(url.startsWith("http://127.0.0.1:9/authorize?response_type=code&client_id=fake-client&redirect_uri="), url);
        assertTrue(url.contains("&state="), url);
        assertFalse(answer.body().contains(FakeTokenServer.CLIENT_SECRET));
    }

    @Test
    void getToken_exchangesTheCode_andARefusedCodeIsA400WithoutEcho() {
        String code = api.tokenServer.newCode(null);
        String body = "{\"client_id\":\"" + FakeTokenServer.CLIENT_ID + "\",\"client_secret\":\"" + FakeTokenServer.CLIENT_SECRET
                + "\",\"code\":\"" + code + "\",\"client_redirect_url\":\"https://farmapp.example/callback\"}";
        HttpResponse<String> answer = api.send("POST", HELPER + "/get_token", token, body);
        assertEquals(200, answer.statusCode(), answer.body());
        Map<String, Object> tokens = TestApi.map(answer);
        assertTrue(((String) tokens.get("accessToken")).startsWith("at-"));
        assertTrue(((String) tokens.get("refreshToken")).startsWith("rt-"));

        HttpResponse<String> replay = api.send("POST", HELPER + "/get_token", token, body);
        Map<String, Object> problem = TestApi.problem(replay, 400);
        assertTrue(((String) problem.get("detail")).contains("invalid_grant"), replay.body());
        assertFalse(replay.body().contains(code));
    }

    @Test
    void helper_needsAToken_andKnowsOnlyOAuthProviders() {
        TestApi.problem(api.send("POST", HELPER + "/get_url", null, "{}"), 401);
        TestApi.problem(api.send("POST", "/services/oauth/api/nope/get_url", token,
                "{\"client_id\":\"c\",\"client_redirect_url\":\"https://a.example/cb\"}"), 404);
        HttpResponse<String> providers = api.send("GET", "/services/oauth/api/providers", token, null);
        assertEquals(200, providers.statusCode());
        assertEquals("[\"test-oauth\"]", providers.body());
    }
}
