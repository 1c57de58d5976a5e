package io.granary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.adapter.postgres.testing.TestPostgres;
import io.granary.testkit.FakeTokenServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 on PostgreSQL: two real jars on one database, each keeping credential answers in memory, and each hearing
 * of the other's commits (and of the owners command's) through the database's notifications.
 */
final class PostgresAnswerCacheIT {

    private static final String FROM_MEMORY = "granary_http_answers_from_memory_total";
    /** The feed's worst case (a broken listening connection) is 3 s; normally it is milliseconds. Not a timing test. */
    private static final long DEADLINE_MILLIS = 10_000;

    @TempDir
    Path dir;

    @Test
    void anAnswerKeptByOneInstance_followsWhatAnotherInstanceAndTheOwnersCommandCommit() throws Exception {
        TestPostgres.Database database = TestPostgres.newDatabase();
        try (FakeTokenServer provider = new FakeTokenServer();
             // Secrets masked (the default): revealed ones are never kept in memory.
             PostgresCluster cluster = new PostgresCluster(database, FakeProviderSetup.endpoints(provider))) {
            GranaryProcess a = cluster.start(dir, "a");
            GranaryProcess b = cluster.start(dir, "b");
            ApiClient onA = new ApiClient(a.baseUrl()).login(GranaryProcess.ADMIN_EMAIL, GranaryProcess.ADMIN_PASSWORD);
            ApiClient onB = new ApiClient(b.baseUrl()).login(GranaryProcess.ADMIN_EMAIL, GranaryProcess.ADMIN_PASSWORD);
            String refreshed = validatedCredential(onA, provider);
            String deleted = validatedCredential(onA, provider);

            // Another instance refreshes a credential that A answers from memory: A's next answers carry the new token.
            String before = readTwiceFromMemory(a, onA, refreshed);
            ApiClient.Answer afterRefresh = onB.post(refreshed + "/refresh", null);
            assertEquals(200, afterRefresh.status(), afterRefresh.body());
            assertNotEquals(before, afterRefresh.body(), "the refresh changed the answer");
            long millis = await(() -> onA.get(refreshed).body().equals(afterRefresh.body()));
            System.out.println("A answered B's refresh after " + millis + " ms");
            readTwiceFromMemory(a, onA, refreshed); // kept again: only that answer was dropped

            // Another instance deletes one: A stops answering it.
            readTwiceFromMemory(a, onA, deleted);
            assertEquals(204, onB.delete(deleted).status());
            millis = await(() -> onA.get(deleted).status() == 404);
            System.out.println("A answered B's delete after " + millis + " ms");

            // The owners command disables the owner: A refuses even the answer it keeps.
            readTwiceFromMemory(a, onA, refreshed);
            GranaryProcess.CommandResult disabled = b.run(Map.of(), "owners", "disable", GranaryProcess.ADMIN_EMAIL);
            assertEquals(0, disabled.exitCode(), disabled.output());
            millis = await(() -> onA.get(refreshed).status() == 401);
            System.out.println("A refused the disabled owner after " + millis + " ms");
        }
    }

    /** Attaches a credential through {@code api} and waits for its validation to end VALID; returns its path. */
    private static String validatedCredential(ApiClient api, FakeTokenServer provider) throws Exception {
        String path = FakeProviderSetup.credentialPath(CrashRecoveryIT.attach(api, provider, 1).get(0));
        await(() -> api.get(path).json().get("status").asText().equals("VALID"));
        return path;
    }

    /** Reads the credential twice on {@code instance}; the second read at least must come from memory. */
    private static String readTwiceFromMemory(GranaryProcess instance, ApiClient api, String path) throws Exception {
        double fromMemory = instance.metric(FROM_MEMORY);
        ApiClient.Answer first = api.get(path);
        ApiClient.Answer second = api.get(path);
        assertEquals(200, second.status(), second.body());
        assertEquals(first.body(), second.body());
        assertTrue(instance.metric(FROM_MEMORY) >= fromMemory + 1, "the second read came from memory");
        return second.body();
    }

    /** Polls until {@code done}; returns how long it took. */
    private static long await(Callable<Boolean> done) throws Exception {
        long started = System.nanoTime();
        while (!done.call()) {
            if (System.nanoTime() - started > DEADLINE_MILLIS * 1_000_000) {
                throw new AssertionError("not within " + DEADLINE_MILLIS + " ms");
            }
            Thread.sleep(10);
        }
        return (System.nanoTime() - started) / 1_000_000;
    }
}
