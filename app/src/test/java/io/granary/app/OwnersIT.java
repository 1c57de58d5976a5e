package io.granary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 4, point 4: the owners CLI against a running service, and one owner walking every route at another's data. */
final class OwnersIT {

    private static final String USERS = "/services/usermanagement/api/users";

    @TempDir
    Path dir;

    @Test
    void ownersCli_addListDisable_whileServing_revokesThatOwnersTokenAtOnce() throws Exception {
        try (EchoProvider echo = new EchoProvider();
             GranaryProcess granary = new GranaryProcess(dir.resolve("data"), echo.settings()).start()) {
            GranaryProcess.CommandResult fromEnv = granary.run(Map.of("GRANARY_OWNER_PASSWORD", "bob's long password"), "owners", "add", "bob@farm.example");
            assertEquals(0, fromEnv.exitCode(), fromEnv.output());
            GranaryProcess.CommandResult fromStdin = granary.runWithInput(Map.of(), "carol's long password\n", "owners", "add", "carol@farm.example");
            assertEquals(0, fromStdin.exitCode(), fromStdin.output());
            assertFalse(fromEnv.output().contains("bob's long password") || fromStdin.output().contains("carol's long password"),
                    "passwords must not be echoed");
            GranaryProcess.CommandResult duplicate = granary.run(Map.of("GRANARY_OWNER_PASSWORD", "another long password"), "owners", "add", "bob@farm.example");
            assertTrue(duplicate.exitCode() != 0, duplicate.output());

            GranaryProcess.CommandResult list = granary.run(Map.of(), "owners", "list");
            assertEquals(0, list.exitCode(), list.output());
            assertTrue(list.output().contains("bob@farm.example\tenabled") && list.output().contains("carol@farm.example\tenabled"), list.output());

            ApiClient bob = new ApiClient(granary.baseUrl()).login("bob@farm.example", "bob's long password");
            ApiClient carol = new ApiClient(granary.baseUrl()).login("carol@farm.example", "carol's long password");
            assertEquals(200, bob.get(USERS).status());
            // A credential read twice: the second answer comes from memory, which the CLI's commit must end.
            JsonNode provider = bob.get("/services/usermanagement/api/providers").json().get(0);
            String user = USERS + "/" + bob.post(USERS, "{\"name\":\"Ann\"}").json().get("id").asText();
            String credential = user + "/" + provider.get("endpointSuffix").asText();
            assertEquals(201, bob.post(credential, attachBody(provider)).status());
            awaitValidated(bob, user, List.of(provider.get("endpointSuffix").asText()));
            double fromMemory = granary.metric("granary_http_answers_from_memory_total");
            assertEquals(200, bob.get(credential).status());
            assertEquals(200, bob.get(credential).status());
            assertTrue(granary.metric("granary_http_answers_from_memory_total") >= fromMemory + 1, "the second read at least was answered from memory");

            GranaryProcess.CommandResult disabled = granary.run(Map.of(), "owners", "disable", "bob@farm.example");
            assertEquals(0, disabled.exitCode(), disabled.output());
            assertEquals(401, bob.get(credential).status(), "an answer kept in memory does not outlive its owner's access");
            assertEquals(401, bob.get(USERS).status(), "a disabled owner's token stops working at once");
            assertEquals(401, bob.post(USERS, "{\"name\":\"x\"}").status());
            assertEquals(200, carol.get(USERS).status(), "other owners are unaffected");
            ApiClient.Answer relogin = new ApiClient(granary.baseUrl()).post("/api/authenticate",
                    "{\"username\":\"bob@farm.example\",\"password\":\"bob's long password\"}");
            assertEquals(401, relogin.status(), "a disabled owner cannot log in");
            assertTrue(granary.run(Map.of(), "owners", "list").output().contains("bob@farm.example\tdisabled"));

            assertEquals(0, granary.run(Map.of(), "owners", "enable", "bob@farm.example").exitCode());
            assertEquals(200, bob.get(USERS).status(), "enabling again restores the unexpired token");
        }
    }

    @Test
    void isolation_everyRouteWithAnotherOwnersToken_answers404AndChangesNothing() throws Exception {
        try (EchoProvider echo = new EchoProvider();
             GranaryProcess granary = new GranaryProcess(dir.resolve("data"), echo.settings()).start()) {
            ApiClient alice = new ApiClient(granary.baseUrl()).login(GranaryProcess.ADMIN_EMAIL, GranaryProcess.ADMIN_PASSWORD);
            assertEquals(0, granary.run(Map.of("GRANARY_OWNER_PASSWORD", "mallory's long password"), "owners", "add", "mallory@farm.example").exitCode());
            ApiClient mallory = new ApiClient(granary.baseUrl()).login("mallory@farm.example", "mallory's long password");

            String userId = alice.post(USERS, "{\"name\":\"Ann\",\"email\":\"ann@farm.example\"}").json().get("id").asText();
            String user = USERS + "/" + userId;
            List<String> suffixes = new ArrayList<>();
            Map<String, String> bodies = new LinkedHashMap<>();
            for (JsonNode provider : alice.get("/services/usermanagement/api/providers").json()) {
                String suffix = provider.get("endpointSuffix").asText();
                bodies.put(suffix, attachBody(provider));
                suffixes.add(suffix);
                assertEquals(201, alice.post(user + "/" + suffix, bodies.get(suffix)).status());
            }
            String before = snapshot(alice, user, suffixes);

            List<String> walked = new ArrayList<>();
            expect404(walked, mallory.get(user), "GET user");
            expect404(walked, mallory.put(user, "{\"name\":\"Mallory\"}"), "PUT user");
            expect404(walked, mallory.put(USERS, "{\"id\":\"" + userId + "\",\"name\":\"Mallory\"}"), "PUT users (id in body)");
            expect404(walked, mallory.patch(user, "{\"name\":\"Mallory\"}"), "PATCH user");
            for (String suffix : suffixes) {
                String credential = user + "/" + suffix;
                expect404(walked, mallory.get(credential), "GET " + suffix);
                expect404(walked, mallory.post(credential, bodies.get(suffix)), "POST " + suffix);
                expect404(walked, mallory.post(credential + "/refresh", null), "refresh " + suffix);
                expect404(walked, mallory.get(credential + "/events"), "events " + suffix);
                expect404(walked, mallory.delete(credential), "DELETE " + suffix);
            }
            expect404(walked, mallory.delete(user), "DELETE user");
            ApiClient.Answer list = mallory.get(USERS);
            assertEquals("[]", list.body());
            assertEquals("0", list.header("X-Total-Count"));
            assertEquals(4 + 5 * suffixes.size() + 1, walked.size());

            assertEquals(before, snapshot(alice, user, suffixes), "another owner's requests changed nothing");
        }
    }

    /** A body EchoProvider accepts, for any provider: every field it does not generate. */
    private static String attachBody(JsonNode provider) {
        StringBuilder body = new StringBuilder("{");
        for (JsonNode field : provider.get("fields")) {
            if (!field.get("generated").asBoolean()) {
                body.append(body.length() > 1 ? "," : "").append('"').append(field.get("name").asText()).append("\":\"")
                        .append(field.get("name").asText().equals("organizationName") ? EchoProvider.ORGANIZATION : EchoProvider.secret("v")).append('"');
            }
        }
        return body.append('}').toString();
    }

    private static void expect404(List<String> walked, ApiClient.Answer answer, String route) {
        assertEquals(404, answer.status(), route + ": " + answer.body());
        assertTrue(answer.header("Content-Type").startsWith("application/problem+json"), route);
        walked.add(route);
    }

    /** The owner's user, every credential and the number of events each has: what a foreign request could change. */
    private static String snapshot(ApiClient owner, String user, List<String> suffixes) throws Exception {
        awaitValidated(owner, user, suffixes);
        StringBuilder state = new StringBuilder(owner.get(user).body()).append('\n');
        for (String suffix : suffixes) {
            JsonNode credential = owner.get(user + "/" + suffix).json();
            state.append(credential).append('\n');
            state.append(suffix).append(" events=").append(owner.get(user + "/" + suffix + "/events").header("X-Total-Count")).append('\n');
        }
        return state.toString();
    }

    /** Attaching starts a background validation; the snapshot must not race it. */
    private static void awaitValidated(ApiClient owner, String user, List<String> suffixes) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        for (String suffix : suffixes) {
            while (owner.get(user + "/" + suffix).json().get("status").asText().equals("PROCESSING")) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(suffix + " is still PROCESSING");
                }
                Thread.sleep(100);
            }
        }
    }
}
