package io.granary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.granary.testkit.FakeTokenServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.jar.JarFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The seed flows against the real jar, started as a process on a random port with a temp data directory,
 * its Trimble and AgLeader endpoints pointed at a local OAuth server that rotates refresh tokens.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class SeedFlowsIT {

    private static final String USERS = "/services/usermanagement/api/users";

    private Path temp;

    private FakeTokenServer provider;
    private GranaryProcess granary;
    private ApiClient api;
    private Map<String, String> settings;

    @BeforeAll
    void start() throws Exception {
        Files.createDirectories(Path.of("target"));
        temp = Files.createTempDirectory(Path.of("target"), "seed-flows-");
        provider = new FakeTokenServer();
        // Four-second tokens and a one-second margin: refreshes every three seconds, so the test sees several.
        provider.expiresIn(Duration.ofSeconds(4));
        settings = new HashMap<>();
        for (String key : List.of("TRIMBLE", "AG_LEADER")) {
            settings.put("GRANARY_PROVIDER_" + key + "_PRODUCTION_TOKEN_URL", provider.tokenUrl());
            settings.put("GRANARY_PROVIDER_" + key + "_PRODUCTION_API_URL", provider.baseUrl());
        }
        settings.put("GRANARY_REFRESH_MARGIN", "1s");
        settings.put("GRANARY_RETRY_BASE", "1s");
        settings.put("GRANARY_RETRY_CAP", "2s");
        settings.put("GRANARY_SCHEDULER_POLL", "1s");
        settings.put("GRANARY_PROVIDER_TIMEOUT", "5s");
        granary = new GranaryProcess(temp.resolve("data"), settings).start();
        api = new ApiClient(granary.baseUrl()).login(GranaryProcess.ADMIN_EMAIL, GranaryProcess.ADMIN_PASSWORD);
    }

    @AfterAll
    void stop() throws Exception {
        if (granary != null) {
            granary.close();
        }
        provider.close();
    }

    private String createUser(ApiClient client, String name) throws Exception {
        ApiClient.Answer created = client.post(USERS, "{\"name\":\"" + name + "\",\"email\":\"" + name.toLowerCase() + "@farm.example\","
                + "\"phone\":\"+1 555 0100\",\"address\":\"1 Field Rd\",\"externalId\":\"ext-" + name + "\"}");
        assertEquals(201, created.status(), created.body());
        return created.json().get("id").asText();
    }

    /** Seed 000 step 3: Trimble with client id, secret, access and refresh token. */
    private String trimbleBody(String refreshToken) {
        return "{\"clientId\":\"" + FakeTokenServer.CLIENT_ID + "\",\"clientSecret\":\"" + FakeTokenServer.CLIENT_SECRET
                + "\",\"accessToken\":\"the-access-token-from-step-2\",\"refreshToken\":\"" + refreshToken + "\"}";
    }

    private JsonNode awaitCredential(String path, Predicate<JsonNode> condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            ApiClient.Answer answer = api.get(path);
            assertEquals(200, answer.status(), answer.body());
            last = answer.json();
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting for " + what + "; last: " + last);
    }

    @Test
    @Order(1)
    void seedFlow_attachReadListEventsDelete() throws Exception {
        String userId = createUser(api, "Ana");
        assertEquals("Ana", api.get(USERS + "/" + userId).json().get("name").asText());
        ApiClient.Answer list = api.get(USERS + "?email=ana@farm.example");
        assertEquals("1", list.header("X-Total-Count"));
        assertEquals(userId, list.json().get(0).get("id").asText());

        String trimblePath = USERS + "/" + userId + "/trimble-credentials";
        String refreshToken = provider.newGrant();
        ApiClient.Answer attached = api.post(trimblePath, trimbleBody(refreshToken));
        assertEquals(201, attached.status(), attached.body());
        assertEquals("PROCESSING", attached.json().get("status").asText());
        assertTrue(attached.json().get("createdTime").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z"));

        // Seed 003 step 4: AgLeader with public and private key.
        String agLeaderPath = USERS + "/" + userId + "/ag-leader-credentials";
        ApiClient.Answer agLeader = api.post(agLeaderPath, "{\"publicKey\":\"" + FakeTokenServer.CLIENT_ID + "\",\"privateKey\":\""
                + FakeTokenServer.CLIENT_SECRET + "\",\"refreshToken\":\"" + provider.newGrant() + "\"}");
        assertEquals(201, agLeader.status(), agLeader.body());

        JsonNode trimble = awaitCredential(trimblePath, c -> c.get("status").asText().equals("VALID"), "Trimble VALID");
        assertTrue(trimble.get("clientSecret").asText().startsWith("****"), "client secret masked");
        assertFalse(trimble.toString().contains(FakeTokenServer.CLIENT_SECRET));
        assertFalse(trimble.toString().contains(refreshToken), "refresh token never echoed");
        assertTrue(trimble.get("accessToken").asText().startsWith("at-"), "a fresh access token is handed out");
        assertEquals(FakeTokenServer.CLIENT_ID, trimble.get("clientId").asText());
        JsonNode agLeaderRead = awaitCredential(agLeaderPath, c -> c.get("status").asText().equals("VALID"), "AgLeader VALID");
        assertEquals(FakeTokenServer.CLIENT_ID, agLeaderRead.get("publicKey").asText());

        ApiClient.Answer events = api.get(trimblePath + "/events");
        assertEquals(200, events.status());
        assertTrue(events.json().size() >= 2, events.body());
        assertEquals(200, events.json().get(0).get("statusCode").asInt());
        assertFalse(events.body().contains(FakeTokenServer.CLIENT_SECRET));

        assertEquals(409, api.post(trimblePath, trimbleBody("another")).status());
        assertEquals(204, api.delete(trimblePath).status());
        assertEquals(404, api.get(trimblePath).status());
        assertEquals(404, api.delete(trimblePath).status());
        assertEquals(404, api.get(trimblePath + "/events").status());

        assertEquals(204, api.delete(USERS + "/" + userId).status());
        assertEquals(404, api.get(USERS + "/" + userId).status());
        assertEquals(404, api.get(agLeaderPath).status(), "deleting the user deleted its credentials");
    }

    @Test
    @Order(2)
    void lifecycle_refreshesOnScheduleThenRevokedBecomesInvalid() throws Exception {
        String userId = createUser(api, "Ben");
        String path = USERS + "/" + userId + "/trimble-credentials";
        String firstToken = provider.newGrant();
        assertEquals(201, api.post(path, trimbleBody(firstToken)).status());
        awaitCredential(path, c -> c.get("status").asText().equals("VALID"), "VALID");

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (provider.rotations(firstToken) < 4 && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        assertTrue(provider.rotations(firstToken) >= 4, "scheduled refreshes: " + provider.rotations(firstToken));

        provider.revoke(firstToken);
        JsonNode invalid = awaitCredential(path, c -> c.get("status").asText().equals("INVALID"), "INVALID");
        assertTrue(invalid.get("statusMessage").asText().contains("invalid_grant"), invalid.toString());

        JsonNode events = api.get(path + "/events?size=100").json();
        List<Integer> statuses = new ArrayList<>();
        events.forEach(e -> statuses.add(e.get("statusCode").asInt()));
        assertEquals(400, statuses.get(0), "newest event is the refused refresh: " + statuses);
        assertTrue(statuses.stream().filter(s -> s == 200).count() >= 4, "earlier successful refreshes: " + statuses);
        int before = provider.tokenRequests();
        Thread.sleep(3000);
        assertEquals(before, provider.tokenRequests(), "an INVALID credential is not retried");
    }

    @Test
    @Order(3)
    void lifecycle_providerOutageIsTemporaryAndRecovers() throws Exception {
        String userId = createUser(api, "Cleo");
        String path = USERS + "/" + userId + "/trimble-credentials";
        String firstToken = provider.newGrant();
        assertEquals(201, api.post(path, trimbleBody(firstToken)).status());
        awaitCredential(path, c -> c.get("status").asText().equals("VALID"), "VALID");

        provider.failWith(503);
        awaitCredential(path, c -> c.get("status").asText().equals("TEMPORARILY_UNAVAILABLE"), "TEMPORARILY_UNAVAILABLE");
        provider.recover();
        JsonNode recovered = awaitCredential(path, c -> c.get("status").asText().equals("VALID"), "recovery to VALID");
        assertNotNull(recovered.get("accessToken"));

        List<Integer> statuses = new ArrayList<>();
        api.get(path + "/events?size=100").json().forEach(e -> statuses.add(e.get("statusCode").asInt()));
        assertTrue(statuses.contains(503), statuses.toString());
        assertEquals(200, statuses.get(0), "the newest call succeeded: " + statuses);

        ApiClient.Answer forced = api.post(path + "/refresh", null);
        assertEquals(200, forced.status(), forced.body());
        assertNotEquals(recovered.get("accessToken").asText(), forced.json().get("accessToken").asText());
    }

    @Test
    @Order(4)
    void errors_areProblemsAndChangeNothing() throws Exception {
        String userId = createUser(api, "Dev");
        String path = USERS + "/" + userId + "/trimble-credentials";
        record Case(String name, ApiClient.Answer answer, int status, String field) {
        }
        List<Case> cases = List.of(
                new Case("malformed JSON", api.post(path, "{\"clientId\":"), 400, null),
                new Case("wrong type", api.post(path, "{\"clientId\":1,\"clientSecret\":\"s\",\"refreshToken\":\"r\"}"), 400, "clientId"),
                new Case("missing field", api.post(path, "{\"clientId\":\"c\",\"refreshToken\":\"r\"}"), 400, "clientSecret"),
                new Case("unknown field", api.post(path, "{\"clientId\":\"c\",\"clientSecret\":\"s\",\"refreshToken\":\"r\",\"clientKey\":\"x\"}"), 400, "clientKey"),
                new Case("unsupported environment", api.post(path, "{\"clientId\":\"c\",\"clientSecret\":\"s\",\"refreshToken\":\"r\",\"clientEnvironment\":\"STAGE\"}"), 400, "clientEnvironment"),
                new Case("not JSON", api.send("POST", path, "clientId=c", "application/x-www-form-urlencoded"), 415, null),
                new Case("too large", api.post(path, "{\"clientId\":\"" + "x".repeat(70 * 1024) + "\"}"), 413, null),
                new Case("wrong method", api.send("PATCH", path, "{}", "application/json"), 405, null),
                new Case("unknown provider", api.get(USERS + "/" + userId + "/nope-credentials"), 404, null),
                new Case("unknown user", api.get(USERS + "/00000000-0000-0000-0000-000000000000/trimble-credentials"), 404, null),
                new Case("invalid UUID", api.get(USERS + "/not-a-uuid"), 400, null),
                new Case("no token", new ApiClient(granary.baseUrl()).get(USERS), 401, null));
        for (Case c : cases) {
            assertEquals(c.status(), c.answer().status(), c.name() + ": " + c.answer().body());
            assertTrue(c.answer().header("Content-Type").startsWith("application/problem+json"), c.name());
            JsonNode problem = c.answer().json();
            assertEquals(c.status(), problem.get("status").asInt(), c.name());
            assertNotNull(problem.get("title"), c.name());
            if (c.field() != null) {
                assertTrue(problem.toString().contains(c.field()), c.name() + " names " + c.field() + ": " + problem);
            }
            assertFalse(c.answer().body().contains("Exception") || c.answer().body().contains("\tat "), c.name() + " leaks a trace");
        }
        assertEquals(404, api.get(path).status(), "no rejected request stored anything");
    }

    /** The user with each credential link reduced to the linked credential's id. */
    private static JsonNode withoutCredentialState(JsonNode user) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = user.deepCopy();
        user.fieldNames().forEachRemaining(name -> {
            if (name.endsWith("Credentials") && copy.get(name).isObject()) {
                copy.put(name, copy.get(name).get("id").asText());
            }
        });
        return copy;
    }

    @Test
    @Order(5)
    void isolation_anotherOwnerSeesNothingAndDisablingCutsItOffAtOnce() throws Exception {
        GranaryProcess.CommandResult added = granary.run(Map.of("GRANARY_OWNER_PASSWORD", "another long password"), "owners", "add", "other@rival.example");
        assertEquals(0, added.exitCode(), added.output());
        ApiClient other = new ApiClient(granary.baseUrl()).login("other@rival.example", "another long password");

        String userId = createUser(api, "Eve");
        String path = USERS + "/" + userId + "/trimble-credentials";
        assertEquals(201, api.post(path, trimbleBody(provider.newGrant())).status());
        JsonNode before = withoutCredentialState(api.get(USERS + "/" + userId).json());

        assertEquals(404, other.get(USERS + "/" + userId).status());
        assertEquals(404, other.put(USERS + "/" + userId, "{\"name\":\"x\"}").status());
        assertEquals(404, other.patch(USERS + "/" + userId, "{\"name\":\"x\"}").status());
        assertEquals(404, other.get(path).status());
        assertEquals(404, other.get(path + "/events").status());
        assertEquals(404, other.post(path + "/refresh", null).status());
        assertEquals(404, other.post(path, trimbleBody("x")).status());
        assertEquals(404, other.delete(path).status());
        assertEquals(404, other.delete(USERS + "/" + userId).status());
        assertEquals(0, other.get(USERS).json().size());
        // The user and which credential it links; the credential's state moves on with its background validation.
        assertEquals(before, withoutCredentialState(api.get(USERS + "/" + userId).json()), "nothing changed");
        assertEquals(200, api.get(path).status());

        GranaryProcess.CommandResult disabled = granary.run(Map.of(), "owners", "disable", "other@rival.example");
        assertEquals(0, disabled.exitCode(), disabled.output());
        assertEquals(401, other.get(USERS).status(), "a disabled owner's token stops working at once");
    }

    @Test
    @Order(6)
    void jar_registersEveryProviderAndLoadsThemAll() throws Exception {
        List<String> registered;
        try (JarFile jar = new JarFile(GranaryProcess.jar().toFile())) {
            registered = new String(jar.getInputStream(jar.getEntry("META-INF/services/io.granary.spi.ProviderAdapter")).readAllBytes())
                    .lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).sorted().toList();
        }
        // The merged services file must name exactly the classes the provider modules declare with `provides`.
        List<String> declared = new ArrayList<>();
        for (String module : List.of("provider-trimble", "provider-agleader", "provider-johndeere", "provider-others", "provider-sandbox")) {
            Path classes = Path.of("..", module, "target", "classes");
            java.lang.module.ModuleFinder.of(classes).findAll().forEach(ref ->
                    ref.descriptor().provides().forEach(p -> declared.addAll(p.providers())));
        }
        assertEquals(declared.stream().sorted().toList(), registered);
        // The twelve providers of the seed, plus the simulated Sandbox that loads only with GRANARY_SANDBOX=true.
        assertEquals(13, registered.size());
        assertTrue(registered.contains("io.granary.provider.sandbox.SandboxProvider"));
        assertEquals(12, api.get("/services/usermanagement/api/providers").json().size());
    }

    @Test
    @Order(7)
    void sigterm_shutsDownCleanlyAndDataSurvivesARestart() throws Exception {
        String userId = createUser(api, "Finn");
        String path = USERS + "/" + userId + "/trimble-credentials";
        assertEquals(201, api.post(path, trimbleBody(provider.newGrant())).status());
        awaitCredential(path, c -> c.get("status").asText().equals("VALID"), "VALID");

        int exit = granary.stop();
        assertTrue(exit == 0 || exit == 143, "exit code " + exit);
        assertTrue(granary.log().contains("Granary stopped cleanly"), "graceful stop is logged");

        granary = new GranaryProcess(temp.resolve("data"), settings).start();
        api = new ApiClient(granary.baseUrl()).login(GranaryProcess.ADMIN_EMAIL, GranaryProcess.ADMIN_PASSWORD);
        assertEquals("VALID", api.get(path).json().get("status").asText());

        String log = granary.log();
        assertFalse(log.contains(FakeTokenServer.CLIENT_SECRET) || log.contains(GranaryProcess.ADMIN_PASSWORD), "secrets in the log");
        byte[] database = Files.readAllBytes(temp.resolve("data").resolve("granary.db"));
        assertFalse(new String(database, java.nio.charset.StandardCharsets.ISO_8859_1).contains(FakeTokenServer.CLIENT_SECRET), "plaintext secret in the database");
    }
}
