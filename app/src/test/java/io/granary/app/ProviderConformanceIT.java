package io.granary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.granary.app.ConformanceFakes.Fake;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each of the twelve providers through the real jar's HTTP API, against a local fake that speaks as the provider
 * documents ({@link ConformanceFakes}): where the fake serves a consent page, the URL from Leaf's OAuth helper is
 * accepted by it; attach; the background validation makes it VALID; the token (or session, or
 * key expiry) the provider issued last is the one stored; an outage makes it TEMPORARILY_UNAVAILABLE and the
 * recovery VALID again; the grower revoking access at the provider makes it INVALID, answered without a usable
 * token; no secret appears in its events; deleting it revokes the grant where the provider offers revocation, and
 * calls no revocation elsewhere.
 * One jar process serves all twelve.
 */
final class ProviderConformanceIT {

    private static final String USERS = "/services/usermanagement/api/users";
    private static final Duration VALIDATION_WAIT = Duration.ofSeconds(20);
    private static final List<Fake> FAKES = ConformanceFakes.all();
    /** The grower's browser: it does not follow the consent page's redirect, so the test can read it. */
    private static final HttpClient BROWSER = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private static Path dir;
    private static GranaryProcess granary;
    private static ApiClient api;

    @BeforeAll
    static void startGranary() throws Exception {
        dir = Files.createTempDirectory("granary-conformance");
        Map<String, String> env = new HashMap<>();
        FAKES.forEach(fake -> env.putAll(fake.endpoints()));
        // Refresh tokens are compared with what the fakes issued.
        env.put("GRANARY_REVEAL_SECRETS", "true");
        env.put("GRANARY_SCHEDULER_POLL", "1s");
        env.put("GRANARY_PROVIDER_TIMEOUT", "3s");
        granary = new GranaryProcess(dir.resolve("data"), env).start();
        api = new ApiClient(granary.baseUrl()).login(GranaryProcess.ADMIN_EMAIL, GranaryProcess.ADMIN_PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        if (granary != null) {
            granary.close();
        }
        FAKES.forEach(Fake::close);
    }

    static Stream<Fake> providers() {
        return FAKES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void provider_lifecycle_asTheProviderDocumentsIt(Fake fake) throws Exception {
        if (fake.consentSlug() != null) {
            assertConsentPageAccepts(fake);
        }
        String user = api.post(USERS, "{\"name\":\"grower of " + fake.name + "\"}").json().get("id").asText();
        String path = USERS + "/" + user + "/" + fake.suffix;

        ApiClient.Answer attached = api.post(path, ApiClient.JSON.writeValueAsString(fake.body));
        assertEquals(201, attached.status(), fake.name + ": " + attached.body());

        JsonNode valid = awaitStatus(path, "VALID");
        fake.assertRenewed(valid);

        fake.outage = true;
        JsonNode down = refresh(fake, path);
        fake.outage = false;
        assertEquals("TEMPORARILY_UNAVAILABLE", down.get("status").asText(), fake.name + ": " + down);
        JsonNode recovered = refresh(fake, path);
        assertEquals("VALID", recovered.get("status").asText(), fake.name + ": " + recovered);
        fake.assertRenewed(recovered);

        fake.revoked = true;
        JsonNode refused = refresh(fake, path);
        assertEquals("INVALID", refused.get("status").asText(), fake.name + ": " + refused);
        JsonNode read = api.get(path).json();
        assertEquals("INVALID", read.get("status").asText());
        assertTrue(read.get("accessTokenExpiresAt").isNull(), fake.name + ": an INVALID credential has no expiry: " + read);
        if (read.has("accessToken")) {
            assertTrue(read.get("accessToken").isNull(), fake.name + ": an INVALID credential answers no access token: " + read);
        }

        ApiClient.Answer events = api.get(path + "/events?size=100");
        assertEquals(200, events.status());
        assertTrue(events.json().size() >= 4, fake.name + ": one event per provider call, at least one per refresh: " + events.body());
        for (String secret : fake.secrets) {
            assertFalse(events.body().contains(secret), fake.name + ": a secret is in the events: "
                    + events.body().replace(secret, "<THE SECRET>"));
        }

        assertEquals(204, api.delete(path).status());
        if (fake.offersRevocation()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (fake.clientRevocations.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(1, fake.clientRevocations.get(), fake.name + ": the deleted credential's grant is revoked at the provider");
        } else {
            assertEquals(0, fake.clientRevocations.get());
        }
    }

    /** Leaf's {@code get_url}, then the grower's browser at that URL: the fake redirects back only if it carries what the provider documents. */
    private static void assertConsentPageAccepts(Fake fake) throws Exception {
        String redirect = "https://app.example/oauth/callback";
        ApiClient.Answer answer = api.post("/services/oauth/api/" + fake.consentSlug() + "/get_url",
                ApiClient.JSON.writeValueAsString(fake.consentRequest(redirect)));
        assertEquals(200, answer.status(), fake.name + ": " + answer.body());
        URI consentUrl = URI.create(answer.json().get("url").asText());
        HttpResponse<Void> page = BROWSER.send(HttpRequest.newBuilder(consentUrl).GET().build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(302, page.statusCode(), fake.name + ": the consent page refuses " + consentUrl);
        assertTrue(page.headers().firstValue("Location").orElse("").startsWith(redirect + "?code="), fake.name + ": " + page.headers());
    }

    /**
     * A manual refresh that reached the provider. Right after the background validation stores VALID, it may still
     * be finishing; a manual refresh then joins it (one refresh per credential at a time) and answers its outcome
     * without calling the provider, so such an answer is asked again (a few times at most).
     */
    private static JsonNode refresh(Fake fake, String path) throws Exception {
        for (int attempt = 0; attempt < 5; attempt++) {
            int before = fake.requests.get();
            ApiClient.Answer answer = api.post(path + "/refresh", null);
            assertEquals(200, answer.status(), answer.body());
            if (fake.requests.get() > before) {
                return answer.json();
            }
            Thread.sleep(100);
        }
        throw new AssertionError(fake.name + ": no manual refresh reached the provider");
    }

    private static JsonNode awaitStatus(String path, String status) throws Exception {
        long deadline = System.nanoTime() + VALIDATION_WAIT.toNanos();
        JsonNode credential;
        do {
            credential = api.get(path).json();
            if (status.equals(credential.get("status").asText())) {
                return credential;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("credential did not become " + status + " within " + VALIDATION_WAIT + ": " + credential);
    }
}
