package io.granary.provider.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.provider.sandbox.SandboxServer.Answer;
import io.granary.provider.sandbox.SandboxServer.JsonAnswer;
import io.granary.provider.sandbox.SandboxServer.Page;
import io.granary.provider.sandbox.SandboxServer.Redirect;
import io.granary.provider.sandbox.SandboxServer.Request;
import io.granary.spi.Pkce;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The simulated authorization server, driven as the host drives it: plain requests in, answers out. */
final class SandboxServerTest {

    private static final String REDIRECT = "http://localhost:8080/services/widgets/callback";
    private static final String VERIFIER = "v".repeat(43);
    private static final String BASIC = "Basic " + Base64.getEncoder().encodeToString("farmapp:secret".getBytes(StandardCharsets.UTF_8));

    private final SandboxServer server = new SandboxServer(Clock.systemUTC());

    @Test
    void authorizePage_showsTheAppAndCarriesStateAndChallengeToTheForm() {
        Page page = assertInstanceOf(Page.class, get("/sandbox/authorize", Map.of("response_type", "code", "client_id", "farmapp",
                "redirect_uri", REDIRECT, "state", "st-1", "code_challenge", Pkce.challenge(VERIFIER), "code_challenge_method", "S256")));

        assertEquals(200, page.status());
        assertTrue(page.html().contains("<strong>farmapp</strong>") && page.html().contains("value=\"st-1\"")
                && page.html().contains(">Approve</button>"), page.html());
    }

    @Test
    void authorizePage_refusesAPlainChallengeOrAMissingRedirect() {
        assertEquals(400, ((Page) get("/sandbox/authorize", Map.of("response_type", "code", "client_id", "a", "redirect_uri", REDIRECT,
                "code_challenge", "x", "code_challenge_method", "plain"))).status());
        assertEquals(400, ((Page) get("/sandbox/authorize", Map.of("response_type", "code", "client_id", "a"))).status());
    }

    @Test
    void codeWithPkce_givesTokens_onceOnly() {
        String code = approve(Pkce.challenge(VERIFIER));

        JsonAnswer tokens = exchange(code, VERIFIER);
        assertEquals(200, tokens.status());
        assertTrue(String.valueOf(tokens.body().get("refresh_token")).startsWith("sbx-rt-"));

        assertEquals(Map.of("error", "invalid_grant"), exchange(code, VERIFIER).body(), "a code is single-use");
    }

    @Test
    void codeWithTheWrongVerifier_isRefused() {
        String code = approve(Pkce.challenge(VERIFIER));

        JsonAnswer refused = exchange(code, "w".repeat(43));

        assertEquals(400, refused.status());
        assertEquals(Map.of("error", "invalid_grant"), refused.body());
    }

    @Test
    void refresh_rotatesTheToken_andTheOldOneStopsWorking() {
        String first = (String) exchange(approve(null), null).body().get("refresh_token");

        JsonAnswer rotated = refresh(first);
        String second = (String) rotated.body().get("refresh_token");

        assertEquals(200, rotated.status());
        assertNotEquals(first, second);
        assertEquals(400, refresh(first).status(), "the used token is dead");
        assertEquals(200, refresh(second).status());
    }

    @Test
    void revokingAGrant_failsItsRefreshAndItsUserinfo() {
        JsonAnswer tokens = exchange(approve(null), null);
        String access = (String) tokens.body().get("access_token");
        assertEquals(200, ((JsonAnswer) server.handle(new Request("GET", "/sandbox/userinfo", Map.of(), Map.of(), "Bearer " + access))).status());
        Page grants = (Page) get("/sandbox/grants", Map.of());
        String id = grants.html().replaceFirst("(?s).*name=\"id\" value=\"([^\"]+)\".*", "$1");

        assertInstanceOf(Redirect.class, server.handle(new Request("POST", "/sandbox/grants/revoke", Map.of(), Map.of("id", id), null)));

        assertEquals(Map.of("error", "invalid_grant"), refresh((String) tokens.body().get("refresh_token")).body());
        assertEquals(401, ((JsonAnswer) server.handle(new Request("GET", "/sandbox/userinfo", Map.of(), Map.of(), "Bearer " + access))).status());
        assertTrue(((Page) get("/sandbox/grants", Map.of())).html().contains("revoked"));
    }

    @Test
    void rfc7009Revoke_isMounted_andEndsTheGrant() {
        assertTrue(SandboxServer.ROUTES.contains(new SandboxServer.Route("POST", "/sandbox/revoke")), "the host serves only ROUTES");
        String refreshToken = (String) exchange(approve(null), null).body().get("refresh_token");

        JsonAnswer revoked = (JsonAnswer) server.handle(new Request("POST", "/sandbox/revoke", Map.of(), Map.of("token", refreshToken), BASIC));

        assertEquals(200, revoked.status());
        assertEquals(Map.of("error", "invalid_grant"), refresh(refreshToken).body());
    }

    @Test
    void deny_sendsAccessDeniedBackWithTheState() {
        Redirect back = (Redirect) server.handle(new Request("POST", "/sandbox/authorize", Map.of(),
                Map.of("client_id", "farmapp", "redirect_uri", REDIRECT, "state", "st-2", "decision", "deny"), null));

        assertEquals(REDIRECT + "?error=access_denied&state=st-2", back.location());
    }

    @Test
    void token_withoutClientAuthentication_isInvalidClient() {
        JsonAnswer refused = (JsonAnswer) server.handle(new Request("POST", "/sandbox/token", Map.of(),
                Map.of("grant_type", "refresh_token", "refresh_token", "x"), null));

        assertEquals(401, refused.status());
        assertEquals(Map.of("error", "invalid_client"), refused.body());
    }

    @Test
    void unknownRoute_isRefusedWith404() {
        assertEquals(404, ((SandboxServer.Refusal) get("/sandbox/nothing", Map.of())).status());
    }

    // ---- the grower's and the client's steps ----

    private Answer get(String path, Map<String, String> query) {
        return server.handle(new Request("GET", path, query, Map.of(), null));
    }

    /** Approves on the consent page and returns the code from the redirect. */
    private String approve(String challenge) {
        Map<String, String> form = new HashMap<>(Map.of("client_id", "farmapp", "redirect_uri", REDIRECT, "state", "st", "decision", "approve"));
        if (challenge != null) {
            form.put("code_challenge", challenge);
        }
        Redirect back = (Redirect) server.handle(new Request("POST", "/sandbox/authorize", Map.of(), form, null));
        assertTrue(back.location().startsWith(REDIRECT + "?code="), back.location());
        String query = URI.create(back.location()).getRawQuery();
        return URLDecoder.decode(query.replaceFirst("code=([^&]+).*", "$1"), StandardCharsets.UTF_8);
    }

    private JsonAnswer exchange(String code, String verifier) {
        Map<String, String> form = new HashMap<>(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT));
        if (verifier != null) {
            form.put("code_verifier", verifier);
        }
        return (JsonAnswer) server.handle(new Request("POST", "/sandbox/token", Map.of(), form, BASIC));
    }

    private JsonAnswer refresh(String refreshToken) {
        return (JsonAnswer) server.handle(new Request("POST", "/sandbox/token", Map.of(),
                Map.of("grant_type", "refresh_token", "refresh_token", refreshToken), BASIC));
    }
}
