package io.granary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.adapter.postgres.testing.TestPostgres;
import io.granary.testkit.FakeTokenServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real jar on PostgreSQL: the keys every instance must be given, and an owner disabled on every instance at once. */
final class PostgresSettingsIT {

    @TempDir
    Path dir;

    @Test
    void startUp_refusesGeneratedKeys_andAMasterKeyThatCannotOpenTheStoredSecrets() throws Exception {
        TestPostgres.Database database = TestPostgres.newDatabase();
        Map<String, String> complete = PostgresCluster.settingsFor(database);
        for (String missing : List.of("GRANARY_MASTER_KEY", "GRANARY_JWT_SECRET", "GRANARY_MAGIC_LINK_KEY")) {
            Map<String, String> env = new HashMap<>(complete);
            env.remove(missing);
            GranaryProcess.CommandResult refused = new GranaryProcess(dir.resolve("no-" + missing), env).run(Map.of(), "serve");
            assertEquals(1, refused.exitCode(), refused.output());
            assertTrue(refused.output().contains(missing) && refused.output().contains("the same on every instance"), refused.output());
        }
        try (FakeTokenServer provider = new FakeTokenServer()) {
            Map<String, String> env = new HashMap<>(complete);
            env.putAll(FakeProviderSetup.settings(provider));
            try (GranaryProcess granary = new GranaryProcess(dir.resolve("a"), env).start()) {
                ApiClient api = new ApiClient(granary.baseUrl()).login(GranaryProcess.ADMIN_EMAIL, GranaryProcess.ADMIN_PASSWORD);
                CrashRecoveryIT.attach(api, provider, 1);
            }
            env.put("GRANARY_MASTER_KEY", Base64.getEncoder().encodeToString(new byte[32]));
            GranaryProcess.CommandResult wrongKey = new GranaryProcess(dir.resolve("b"), env).run(Map.of(), "serve");
            assertEquals(1, wrongKey.exitCode(), wrongKey.output());
            assertTrue(wrongKey.output().contains("master key does not open the secrets"), wrongKey.output());
        }
    }

    @Test
    void ownerDisabled_isRefusedByEveryInstanceWithinASecond() throws Exception {
        TestPostgres.Database database = TestPostgres.newDatabase();
        try (PostgresCluster cluster = new PostgresCluster(database, Map.of())) {
            GranaryProcess a = cluster.start(dir, "a");
            GranaryProcess b = cluster.start(dir, "b");
            ApiClient onA = new ApiClient(a.baseUrl()).login(GranaryProcess.ADMIN_EMAIL, GranaryProcess.ADMIN_PASSWORD);
            String token = onA.token();
            assertEquals(200, withToken(a, token).status());
            assertEquals(200, withToken(b, token).status(), "a token from one instance works on another");

            GranaryProcess.CommandResult disabled = a.run(Map.of(), "owners", "disable", GranaryProcess.ADMIN_EMAIL);
            assertEquals(0, disabled.exitCode(), disabled.output());
            long after = System.nanoTime();
            assertEquals(401, withToken(a, token).status());
            assertEquals(401, withToken(b, token).status());
            long millis = Duration.ofNanos(System.nanoTime() - after).toMillis();
            assertTrue(millis < 1_000, "refused by both within " + millis + " ms");
        }
    }

    private static ApiClient.Answer withToken(GranaryProcess instance, String token) throws Exception {
        java.net.http.HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(instance.baseUrl() + "/services/usermanagement/api/users"))
                        .header("Authorization", "Bearer " + token).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return new ApiClient.Answer(answer.statusCode(), answer);
    }
}
