package io.granary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.adapter.postgres.testing.TestPostgres;
import io.granary.testkit.FakeTokenServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Database faults on PostgreSQL, in the style of {@link DatabaseFaultsIT}, against the real jar and a provider that
 * rotates refresh tokens with no grace period and revokes a grant whose old token comes back: a rotated token that
 * Granary lost would show as a killed grant. Credentials refresh every few seconds throughout.
 */
final class PostgresFaultsIT {

    private static final int CREDENTIALS = 40;

    @TempDir
    Path dir;

    /** PostgreSQL stopped and started again under load: 503 problems meanwhile, nothing lost, no Granary restart. */
    @Test
    void postgresRestartedMidLoad_answers503_losesNothing_andResumesWithoutRestart() throws Exception {
        Assumptions.assumeFalse(TestPostgres.external(), "restarts its own embedded PostgreSQL");
        try (TestPostgres.Restartable postgres = TestPostgres.startRestartable(dir.resolve("pgdata"));
             FakeTokenServer provider = strictProvider()) {
            try (GranaryProcess granary = start(provider, postgres.database())) {
                ApiClient api = new ApiClient(granary.baseUrl()).login(GranaryProcess.ADMIN_EMAIL, GranaryProcess.ADMIN_PASSWORD);
                List<String> users = CrashRecoveryIT.attach(api, provider, CREDENTIALS);
                Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
                AtomicInteger badProblems = new AtomicInteger();
                AtomicBoolean reading = new AtomicBoolean(true);
                Thread reader = new Thread(() -> {
                    int i = 0;
                    while (reading.get()) {
                        try {
                            ApiClient.Answer answer = api.get(FakeProviderSetup.credentialPath(users.get(i++ % users.size())));
                            statuses.computeIfAbsent(answer.status(), k -> new AtomicInteger()).incrementAndGet();
                            if (answer.status() == 503 && !"application/problem+json".equals(answer.header("Content-Type"))) {
                                badProblems.incrementAndGet();
                            }
                            Thread.sleep(20);
                        } catch (Exception e) {
                            statuses.computeIfAbsent(-1, k -> new AtomicInteger()).incrementAndGet();
                        }
                    }
                });
                reader.start();
                Thread.sleep(3_000);
                postgres.stop();
                Thread.sleep(6_000);
                int unavailableWhileDown = statuses.getOrDefault(503, new AtomicInteger()).get();
                postgres.start();
                long restarted = System.nanoTime();
                while (api.get(FakeProviderSetup.credentialPath(users.get(0))).status() != 200
                        && System.nanoTime() - restarted < Duration.ofSeconds(60).toNanos()) {
                    Thread.sleep(200);
                }
                long resumedMillis = (System.nanoTime() - restarted) / 1_000_000;
                Thread.sleep(3_000);
                reading.set(false);
                reader.join();
                List<String> problems = calmAndCheck(provider, api, users);
                System.out.printf("postgres-faults restart: answers %s; resumed %d ms after PostgreSQL was back;"
                                + " tokenRequests=%d rejected=%d grantsKilled=%d lost=%d%n", statuses, resumedMillis,
                        provider.tokenRequests(), provider.rejectedTokenRequests(), provider.grantsKilled(), problems.size());
                printWarningsIfLost(granary, problems);
                assertTrue(unavailableWhileDown > 0, "reads while PostgreSQL was down answer 503: " + statuses);
                assertEquals(0, badProblems.get(), "a 503 that is not a problem+json");
                assertEquals(Map.of(), otherThan(statuses, 200, 503), "answers other than 200 and 503");
                assertTrue(granary.isAlive(), "Granary itself was never restarted");
                assertEquals(List.of(), problems);
                assertEquals(0, provider.grantsKilled(), "a rotated refresh token was lost");
                assertEquals(0, provider.rejectedTokenRequests());
            }
        }
    }

    /**
     * Every Granary connection cut again and again while refreshes are on their way (the provider answers slowly):
     * each rotated token is stored, or its save retried until stored; none is lost.
     */
    @Test
    void connectionsCutMidRefresh_eachRotatedTokenIsStoredOrRetried_neverLost() throws Exception {
        TestPostgres.Database database = TestPostgres.newDatabase();
        try (FakeTokenServer provider = strictProvider()) {
            provider.latency(Duration.ofMillis(300));
            try (GranaryProcess granary = start(provider, database);
                 Connection admin = database.connect(); Statement s = admin.createStatement()) {
                ApiClient api = new ApiClient(granary.baseUrl()).login(GranaryProcess.ADMIN_EMAIL, GranaryProcess.ADMIN_PASSWORD);
                List<String> users = CrashRecoveryIT.attach(api, provider, CREDENTIALS);
                int cut = 0;
                for (int round = 0; round < 20; round++) {
                    Thread.sleep(500);
                    try (var rs = s.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                            + " WHERE datname = current_database() AND application_name = 'granary' AND pid <> pg_backend_pid()")) {
                        rs.next();
                        cut += rs.getInt(1);
                    }
                }
                List<String> problems = calmAndCheck(provider, api, users);
                System.out.printf("postgres-faults cut connections: %d connections cut in 10 s; tokenRequests=%d rejected=%d"
                        + " grantsKilled=%d lost=%d%n", cut, provider.tokenRequests(), provider.rejectedTokenRequests(),
                        provider.grantsKilled(), problems.size());
                printWarningsIfLost(granary, problems);
                assertTrue(cut > 0, "no connection was cut");
                assertTrue(granary.isAlive());
                assertEquals(List.of(), problems);
                assertEquals(0, provider.grantsKilled(), "a rotated refresh token was lost");
                assertEquals(0, provider.rejectedTokenRequests());
            }
        }
    }

    private static void printWarningsIfLost(GranaryProcess granary, List<String> problems) throws Exception {
        if (!problems.isEmpty()) {
            granary.log().lines().filter(l -> l.contains("WARN") || l.contains("ERROR")).limit(80).forEach(System.out::println);
        }
    }

    /** Rotates on every use, no grace period, and a reused old token kills the grant. Short-lived access tokens. */
    private static FakeTokenServer strictProvider() throws Exception {
        FakeTokenServer provider = new FakeTokenServer(32);
        provider.grace(Duration.ZERO);
        provider.reuseKillsGrant(true);
        provider.expiresIn(Duration.ofSeconds(4));
        return provider;
    }

    private GranaryProcess start(FakeTokenServer provider, TestPostgres.Database database) throws Exception {
        Map<String, String> env = new HashMap<>(FakeProviderSetup.settings(provider));
        env.putAll(PostgresCluster.settingsFor(database));
        env.put("GRANARY_INSTANCE_ID", "faults");
        env.put("GRANARY_REFRESH_MARGIN", "1s");
        // Generous: on a loaded machine a 3 s provider timeout can expire on an answer the provider already rotated,
        // a loss that has nothing to do with the database (and that no grace period here would forgive).
        env.put("GRANARY_PROVIDER_TIMEOUT", "10s");
        env.put("GRANARY_REFRESH_LEASE", "60s");
        env.put("GRANARY_SCHEDULER_POLL", "1s");
        // What is tested is the database path: kept answers are sent for up to 3 s after PostgreSQL goes silent
        // (PgChangeFeed's trust), which made the "503 while down" reads flaky.
        env.put("GRANARY_ANSWER_CACHE_MB", "0");
        env.put("GRANARY_RETRY_BASE", "1s");
        env.put("GRANARY_RETRY_CAP", "3s");
        return new GranaryProcess(dir.resolve("data"), env).start();
    }

    /** Long-lived tokens from now on; once every credential refreshed again, each must be VALID with the current token. */
    private static List<String> calmAndCheck(FakeTokenServer provider, ApiClient api, List<String> users) throws Exception {
        provider.latency(Duration.ZERO);
        provider.expiresIn(Duration.ofHours(2));
        Instant calm = Instant.now().plus(Duration.ofMinutes(90));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> problems;
        do {
            Thread.sleep(500);
            problems = CrashRecoveryIT.check(api, provider, users, calm);
        } while (!problems.isEmpty() && System.nanoTime() < deadline);
        return problems.subList(0, Math.min(10, problems.size()));
    }

    private static Map<Integer, Integer> otherThan(Map<Integer, AtomicInteger> statuses, int... expected) {
        Map<Integer, Integer> other = new HashMap<>();
        statuses.forEach((status, n) -> {
            for (int e : expected) {
                if (e == status) {
                    return;
                }
            }
            other.put(status, n.get());
        });
        return other;
    }
}
