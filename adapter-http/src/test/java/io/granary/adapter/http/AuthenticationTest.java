package io.granary.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class AuthenticationTest {

    private final TestApi t = TestApi.start();

    @AfterEach
    void stop() {
        t.close();
    }

    private HttpResponse<String> login(String username, String password, String rememberMe) {
        String body = "{\"username\":\"" + username + "\",\"password\":\"" + password + "\""
                + (rememberMe == null ? "" : ",\"rememberMe\":" + rememberMe) + "}";
        return t.send("POST", "/api/authenticate", null, body);
    }

    private HttpResponse<String> users(String token) {
        return t.send("GET", TestApi.USERS, token, null);
    }

    private static JWTClaimsSet claims(String token) throws Exception {
        return SignedJWT.parse(token).getJWTClaimsSet();
    }

    @Test
    void authenticate_withGoodPassword_answersHs256TokenFor24Hours() throws Exception {
        UUID owner = t.core.addOwner("a@farm.io", TestApi.PASSWORD).id();
        HttpResponse<String> answer = login("a@farm.io", TestApi.PASSWORD, null);

        assertEquals(200, answer.statusCode());
        String token = (String) TestApi.map(answer).get("id_token");
        SignedJWT jwt = SignedJWT.parse(token);
        assertEquals(JWSAlgorithm.HS256, jwt.getHeader().getAlgorithm());
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertEquals(owner.toString(), claims.getSubject());
        assertEquals("granary", claims.getIssuer());
        assertTrue(claims.getJWTID() != null);
        Duration lifetime = Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant());
        assertEquals(Duration.ofHours(24), lifetime);
        assertEquals(200, users(token).statusCode());
    }

    @Test
    void authenticate_withRememberMeAsBooleanOrString_answersTokenFor30Days() throws Exception {
        t.core.addOwner("a@farm.io", TestApi.PASSWORD);
        for (String rememberMe : new String[] {"true", "\"true\""}) {
            HttpResponse<String> answer = login("a@farm.io", TestApi.PASSWORD, rememberMe);
            JWTClaimsSet claims = claims((String) TestApi.map(answer).get("id_token"));
            assertEquals(Duration.ofDays(30),
                    Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()));
        }
        JWTClaimsSet notRemembered = claims((String) TestApi.map(login("a@farm.io", TestApi.PASSWORD, "\"false\"")).get("id_token"));
        assertEquals(Duration.ofHours(24), Duration.between(notRemembered.getIssueTime().toInstant(),
                notRemembered.getExpirationTime().toInstant()));
    }

    @Test
    void authenticate_whenRememberMeIsNotABoolean_answers400() {
        t.core.addOwner("a@farm.io", TestApi.PASSWORD);
        assertEquals("rememberMe", TestApi.problem(login("a@farm.io", TestApi.PASSWORD, "\"yes\""), 400).get("field"));
        assertEquals("rememberMe", TestApi.problem(login("a@farm.io", TestApi.PASSWORD, "1"), 400).get("field"));
    }

    @Test
    void authenticate_whenUsernameIsMissing_answers400() {
        HttpResponse<String> answer = t.send("POST", "/api/authenticate", null, "{\"password\":\"x\"}");
        assertEquals("username", TestApi.problem(answer, 400).get("field"));
    }

    @Test
    void authenticate_withWrongPasswordOrUnknownOwner_answers401() {
        t.core.addOwner("a@farm.io", TestApi.PASSWORD);
        HttpResponse<String> wrong = login("a@farm.io", "wrong password!", null);
        HttpResponse<String> unknown = login("nobody@farm.io", TestApi.PASSWORD, null);
        // Same answer either way: no hint whether the owner exists.
        assertEquals(TestApi.problem(wrong, 401).get("detail"), TestApi.problem(unknown, 401).get("detail"));
    }

    @Test
    void authenticate_afterTenFailures_answers429WithRetryAfter_evenForTheRightPassword() {
        t.core.addOwner("a@farm.io", TestApi.PASSWORD);
        for (int i = 0; i < 10; i++) {
            TestApi.problem(login("a@farm.io", "wrong password " + i, null), 401);
        }
        HttpResponse<String> blocked = login("a@farm.io", TestApi.PASSWORD, null);
        TestApi.problem(blocked, 429);
        long retryAfter = Long.parseLong(blocked.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter > 0 && retryAfter <= 15 * 60, "Retry-After " + retryAfter);
        // Throttling one username leaves the others alone.
        t.core.addOwner("b@farm.io", TestApi.PASSWORD);
        assertEquals(200, login("b@farm.io", TestApi.PASSWORD, null).statusCode());
    }

    @Test
    void authenticate_afterManyFailuresFromOneAddress_answers429() {
        for (int i = 0; i < 50; i++) {
            TestApi.problem(login("nobody" + i + "@farm.io", "wrong password", null), 401);
        }
        HttpResponse<String> blocked = login("someone-else@farm.io", "wrong password", null);
        TestApi.problem(blocked, 429);
        assertTrue(blocked.headers().firstValue("Retry-After").isPresent());
    }

    @Test
    void routes_withoutOrWithMalformedAuthorization_answer401() {
        TestApi.problem(users(null), 401);
        TestApi.problem(users("garbage"), 401);
        TestApi.problem(users(""), 401);
        HttpResponse<String> basic = t.send(t.request("GET", TestApi.USERS, null, null)
                .header("Authorization", "Basic YTpi"));
        TestApi.problem(basic, 401);
        assertTrue(basic.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
    }

    @Test
    void routes_withExpiredTamperedNoneOrForeignTokens_answer401() throws Exception {
        UUID owner = t.core.addOwner("a@farm.io", TestApi.PASSWORD).id();
        Instant now = Instant.now();
        assertEquals(200, users(sign(TestApi.SECRET, owner, "granary", now.plusSeconds(60))).statusCode());

        TestApi.problem(users(sign(TestApi.SECRET, owner, "granary", now.minusSeconds(1))), 401);
        TestApi.problem(users(sign(TestApi.SECRET, owner, "someone-else", now.plusSeconds(60))), 401);
        TestApi.problem(users(sign("another-secret-of-at-least-32-bytes!!".getBytes(), owner, "granary",
                now.plusSeconds(60))), 401);
        TestApi.problem(users(sign(TestApi.SECRET, UUID.randomUUID(), "granary", now.plusSeconds(60))), 401);

        String good = sign(TestApi.SECRET, owner, "granary", now.plusSeconds(60));
        String[] parts = good.split("\\.");
        String otherClaims = sign(TestApi.SECRET, UUID.randomUUID(), "granary", now.plusSeconds(60)).split("\\.")[1];
        TestApi.problem(users(parts[0] + "." + otherClaims + "." + parts[2]), 401);

        String none = new PlainJWT(claimsFor(owner, "granary", now.plusSeconds(60))).serialize();
        TestApi.problem(users(none), 401);
        TestApi.problem(users(none.replace("eyJhbGciOiJub25lIn0", "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0")), 401);
        TestApi.problem(users(parts[0] + "." + parts[1] + "."), 401);
    }

    @Test
    void routes_whenAnAcceptedTokenExpires_answer401() throws Exception {
        UUID owner = t.core.addOwner("a@farm.io", TestApi.PASSWORD).id();
        Instant expires = Instant.now().plusSeconds(3);
        String token = sign(TestApi.SECRET, owner, "granary", expires);
        assertEquals(200, users(token).statusCode()); // checked once, then remembered as verified

        // JWT times are whole seconds: wait until past the truncated expiry.
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), expires.plusMillis(1_100)).toMillis()));
        TestApi.problem(users(token), 401);
    }

    @Test
    void routes_whenOwnerIsDisabledAfterLogin_answer401AtOnce() {
        String token = t.ownerToken("a@farm.io");
        assertEquals(200, users(token).statusCode());
        t.core.owners.setDisabled("a@farm.io", true);
        TestApi.problem(users(token), 401);
        TestApi.problem(login("a@farm.io", TestApi.PASSWORD, null), 401);
    }

    private static JWTClaimsSet claimsFor(UUID owner, String issuer, Instant expires) {
        return new JWTClaimsSet.Builder().subject(owner.toString()).issuer(issuer)
                .issueTime(Date.from(expires.minusSeconds(3600))).expirationTime(Date.from(expires))
                .jwtID(UUID.randomUUID().toString()).build();
    }

    private static String sign(byte[] secret, UUID owner, String issuer, Instant expires) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claimsFor(owner, issuer, expires));
        jwt.sign(new MACSigner(secret));
        return jwt.serialize();
    }
}
