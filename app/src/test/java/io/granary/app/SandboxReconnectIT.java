package io.granary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tried as a new user would, without a browser: a grower connects the Sandbox provider through a magic link, then
 * presses Reconnect. The replaced credential's grant is revoked at the provider (RFC 7009), so the sandbox's grants
 * page lists only the new grant, not the replaced one as still active.
 */
final class SandboxReconnectIT {

    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");
    private static final Pattern GRANT_ROW = Pattern.compile("<tr><td>([^<]+)</td><td>[^<]*</td><td>\\d+</td><td>(active|revoked)</td>");

    @TempDir
    Path dir;

    private final HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void reconnect_throughAMagicLink_revokesTheReplacedGrantAtTheProvider() throws Exception {
        try (GranaryProcess granary = new GranaryProcess(dir.resolve("data"), Map.of("GRANARY_SANDBOX", "true")).start()) {
            ApiClient api = new ApiClient(granary.baseUrl()).login(GranaryProcess.ADMIN_EMAIL, GranaryProcess.ADMIN_PASSWORD);
            String userId = api.post("/services/usermanagement/api/users", "{\"name\":\"Ada Grower\"}").json().get("id").asText();
            assertEquals(201, api.post("/services/usermanagement/api/app-keys/Sandbox/farmapp",
                    "{\"clientId\":\"farmapp-web\",\"clientSecret\":\"sandbox-app-secret-Zq81\"}").status());
            ApiClient.Answer link = api.post("/services/widgets/api/magic-link/users/" + userId + "/provider",
                    "{\"expiresIn\":3600,\"allowedProviders\":[\"Sandbox\"],\"settings\":{\"companyName\":\"Prairie Co-op\"}}");
            assertEquals(201, link.status(), link.body());
            String token = link.json().get("link").asText().replaceFirst("^.*[?&]t=", "");

            connect(granary, token);
            Map<String, String> first = grants(granary);
            assertEquals(1, first.size(), "one grant after connecting: " + first);
            String firstGrant = first.keySet().iterator().next();
            // Known race, not covered here: a reconnect while the scheduler's first validation is rotating the
            // refresh token may revoke the token it read, already rotated, and leave the new one's grant active
            // (the delete does not check the version it read). Seen once in CI; named in issue 17's closing note.
            awaitValid(api, userId);

            connect(granary, token); // Reconnect
            Map<String, String> after = awaitGrants(granary, 1);

            assertEquals(1, after.size(), "the replaced grant is gone from the provider's list: " + after);
            assertTrue(!after.containsKey(firstGrant), "the grant left is the new one: " + after);
            assertEquals("active", after.values().iterator().next());
            // Logged by the revoker's thread once the provider answered; the console appender writes in batches.
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!granary.log().contains("its grant was revoked at the provider") && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(granary.log().contains("its grant was revoked at the provider"), "the outcome is logged");
        }
    }

    /** Link page Connect -> the sandbox's consent page -> Approve -> Granary's callback. */
    private void connect(GranaryProcess granary, String token) throws Exception {
        HttpResponse<String> toProvider = get(granary.baseUrl() + "/services/widgets/magic-link/connect?t="
                + URLEncoder.encode(token, StandardCharsets.UTF_8) + "&provider=Sandbox");
        assertEquals(3, toProvider.statusCode() / 100, toProvider.body());
        HttpResponse<String> consent = get(toProvider.headers().firstValue("Location").orElseThrow());
        assertEquals(200, consent.statusCode(), consent.body());
        Map<String, String> form = new LinkedHashMap<>();
        Matcher hidden = HIDDEN.matcher(consent.body());
        while (hidden.find()) {
            form.put(hidden.group(1), unescape(hidden.group(2)));
        }
        form.put("decision", "approve");
        HttpResponse<String> back = browser.send(HttpRequest.newBuilder(URI.create(granary.baseUrl() + "/sandbox/authorize"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.entrySet().stream()
                        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                        .collect(Collectors.joining("&"))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(3, back.statusCode() / 100, back.body());
        HttpResponse<String> done = get(back.headers().firstValue("Location").orElseThrow());
        assertEquals(200, done.statusCode(), done.body());
    }

    private static void awaitValid(ApiClient api, String userId) throws Exception {
        String path = "/services/usermanagement/api/users/" + userId + "/sandbox-credentials";
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"VALID".equals(api.get(path).json().path("status").asText()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals("VALID", api.get(path).json().path("status").asText(), "the first connection was validated");
    }

    private Map<String, String> awaitGrants(GranaryProcess granary, int wanted) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        Map<String, String> grants;
        do {
            grants = grants(granary);
            if (grants.size() == wanted) {
                return grants;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return grants;
    }

    /** Grant id -> active/revoked, as the sandbox's grants page lists them. */
    private Map<String, String> grants(GranaryProcess granary) throws Exception {
        HttpResponse<String> page = get(granary.baseUrl() + "/sandbox/grants");
        assertEquals(200, page.statusCode());
        Map<String, String> grants = new LinkedHashMap<>();
        Matcher row = GRANT_ROW.matcher(page.body());
        while (row.find()) {
            grants.put(row.group(1), row.group(2));
        }
        return grants;
    }

    private HttpResponse<String> get(String url) throws Exception {
        return browser.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String unescape(String html) {
        return html.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
}
