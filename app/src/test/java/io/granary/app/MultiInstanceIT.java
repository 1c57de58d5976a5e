package io.granary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.adapter.postgres.testing.TestPostgres;
import io.granary.core.testing.FakeWebhookReceiver;
import io.granary.testkit.FakeTokenServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real granary.jar instances on one PostgreSQL: a refresh storm over 2,000 credentials against a provider that
 * rotates refresh tokens with no grace period and revokes a grant whose old token is presented again. One instance is
 * killed with kill -9 while it holds leases and has token requests on their way, then restarted.
 *
 * <p>A kill -9 after the provider rotated a token but before the database stored it loses that token with the
 * process (it existed nowhere else): no storage can prevent it, and with no grace period the grant is gone. So the
 * test kills the instance while the provider holds every arriving request unprocessed, and then drops the dead
 * instance's requests unprocessed: what it proves is that the survivors take over the dead instance's leases once
 * they expire (or at once when it restarts), that no credential is refreshed twice, and that no instance presents a
 * token another instance rotated away. The webhook receiver does the same with alerts, so "delivered" means
 * answered 2xx to a live instance.
 */
final class MultiInstanceIT {

    private static final int CREDENTIALS = Integer.getInteger("multi.credentials", 2_000);
    private static final int REVOKED = 100;

    @TempDir
    Path dir;

    @Test
    void refreshStorm_onThreeInstances_withOneKilled_refreshesEachOnce_andDeliversEachAlertOnce() throws Exception {
        TestPostgres.Database database = TestPostgres.newDatabase();
        try (FakeTokenServer provider = new FakeTokenServer(64); FakeWebhookReceiver receiver = new FakeWebhookReceiver()) {
            provider.grace(Duration.ZERO);
            provider.reuseKillsGrant(true);
            Map<String, String> settings = new HashMap<>(FakeProviderSetup.settings(provider));
            settings.put("GRANARY_REFRESH_CONCURRENCY", "8");
            settings.put("GRANARY_PROVIDER_TIMEOUT", "10s");
            settings.put("GRANARY_REFRESH_LEASE", "15s");
            settings.put("GRANARY_SCHEDULER_POLL", "1s");
            settings.put("GRANARY_WEBHOOK_POLL", "500ms");
            settings.put("GRANARY_WEBHOOK_RETRY_DELAYS", "1s,1s,1s,1s,1s,1s,1s,1s");
            settings.put("GRANARY_WEBHOOK_ALLOW_PRIVATE", "true");
            settings.put("GRANARY_WEBHOOK_CONCURRENCY", "2");
            try (PostgresCluster cluster = new PostgresCluster(database, settings)) {
                GranaryProcess a = cluster.start(dir, "instance-a");
                GranaryProcess b = cluster.start(dir, "instance-b");
                GranaryProcess c = cluster.start(dir, "instance-c");
                ApiClient apiA = new ApiClient(a.baseUrl()).login(GranaryProcess.ADMIN_EMAIL, GranaryProcess.ADMIN_PASSWORD);
                assertEquals(201, apiA.post("/services/alerts/api/alerts/webhooks", "{\"name\":\"ops\",\"url\":\"" + receiver.url("/hook")
                        + "\",\"secret\":\"whsec-multi-instance\",\"events\":[\"credentialsUnauthenticated\"]}").status());
                long attachStart = System.nanoTime();
                // A few through the API, as a client attaches them; the bulk seeded into the database directly.
                List<String> users = new java.util.ArrayList<>(CrashRecoveryIT.attach(apiA, provider, 20));
                List<String> grants = new java.util.ArrayList<>();
                for (int i = 20; i < CREDENTIALS + REVOKED; i++) {
                    grants.add(provider.newGrant());
                }
                List<String> seeded = PgSeeder.seed(database, grants, Instant.now().plus(Duration.ofHours(1)));
                users.addAll(seeded.subList(0, CREDENTIALS - 20));
                List<String> revoked = seeded.subList(CREDENTIALS - 20, seeded.size());
                Map<String, String> firstTokens = new HashMap<>();
                for (String user : users) {
                    firstTokens.put(user, apiA.get(FakeProviderSetup.credentialPath(user)).json().get("refreshToken").asText());
                }
                for (String user : revoked) {
                    provider.revoke(apiA.get(FakeProviderSetup.credentialPath(user)).json().get("refreshToken").asText());
                }
                System.out.printf("multi-instance: attached %d credentials in %d s%n", CREDENTIALS + REVOKED,
                        Duration.ofNanos(System.nanoTime() - attachStart).toSeconds());
                provider.latency(Duration.ofMillis(20)); // from now on, as a real token endpoint answers
                Map<String, Integer> rotationsBefore = new HashMap<>();
                firstTokens.forEach((user, token) -> rotationsBefore.put(user, provider.rotations(token)));
                int requestsBefore = provider.tokenRequests();

                // The storm: every credential due now, on three instances polling each second.
                Instant stormStart = Instant.now();
                try (Connection db = database.connect(); Statement s = db.createStatement()) {
                    s.executeUpdate("UPDATE credentials SET next_refresh_at = 0");
                }
                int due = CREDENTIALS + REVOKED;
                awaitRequests(provider, requestsBefore + due / 3, Duration.ofSeconds(60));

                // kill -9 instance b with requests on their way: the provider and the receiver hold what arrives.
                provider.hold();
                receiver.hold();
                Thread.sleep(700); // what was processed before the hold is answered and stored meanwhile
                b.kill();
                Set<String> deadInstanceTokens = tokensLeasedBy(database, "instance-b", provider, apiA);
                provider.release(deadInstanceTokens::contains);
                receiver.releaseDroppingHeld();
                int leasesOfDead = deadInstanceTokens.size();
                System.out.printf("multi-instance: killed instance-b %d ms into the storm, holding %d leases%n",
                        Duration.between(stormStart, Instant.now()).toMillis(), leasesOfDead);
                Thread.sleep(3_000);
                GranaryProcess bAgain = cluster.start(dir, "instance-b");

                // Every due credential refreshed: valid ones once, revoked ones told, every alert delivered.
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                List<String> problems;
                ApiClient apiC = new ApiClient(c.baseUrl()).login(GranaryProcess.ADMIN_EMAIL, GranaryProcess.ADMIN_PASSWORD);
                do {
                    Thread.sleep(1_000);
                    problems = provider.tokenRequests() - provider.droppedTokenRequests() - requestsBefore < due
                            || delivered(receiver).size() < REVOKED + 1
                            ? List.of("storm not finished") : CrashRecoveryIT.check(apiC, provider, users, stormStart);
                } while (!problems.isEmpty() && System.nanoTime() < deadline);
                Thread.sleep(2_000); // room for a second refresh or delivery to show up if one were coming
                int processed = provider.tokenRequests() - provider.droppedTokenRequests() - requestsBefore;
                int refreshedTwice = 0;
                for (Map.Entry<String, String> e : firstTokens.entrySet()) {
                    if (provider.rotations(e.getValue()) - rotationsBefore.get(e.getKey()) != 1) {
                        refreshedTwice++;
                    }
                }
                Map<String, Integer> deliveries = delivered(receiver);
                if (deliveries.size() < REVOKED + 1) {
                    try (Connection db = database.connect(); Statement s = db.createStatement();
                         ResultSet rs = s.executeQuery("SELECT state, attempts, lease_owner, lease_until, next_attempt_at"
                                 + " FROM webhook_deliveries WHERE state <> 'DELIVERED'")) {
                        while (rs.next()) {
                            System.out.printf("undelivered: %s attempts=%d lease=%s until=%d next=%d now=%d%n", rs.getString(1),
                                    rs.getInt(2), rs.getString(3), rs.getLong(4), rs.getLong(5), System.currentTimeMillis() * 1000);
                        }
                    }
                }
                long duplicates = deliveries.values().stream().filter(n -> n > 1).count();
                System.out.printf("multi-instance: credentials=%d revoked=%d due=%d processedTokenRequests=%d dropped=%d"
                                + " leasesOfKilledInstance=%d notRefreshedExactlyOnce=%d grantsKilled=%d rejected=%d alerts=%d"
                                + " duplicateDeliveries=%d problems=%d wall=%ds%n",
                        CREDENTIALS, REVOKED, due, processed, provider.droppedTokenRequests(), leasesOfDead, refreshedTwice,
                        provider.grantsKilled(), provider.rejectedTokenRequests(), deliveries.size(), duplicates, problems.size(),
                        Duration.between(stormStart, Instant.now()).toSeconds());
                assertEquals(List.of(), problems.subList(0, Math.min(10, problems.size())), problems.size() + " credentials not VALID with the current token");
                assertEquals(due, processed, "token requests the provider processed, against refreshes due");
                assertEquals(0, refreshedTwice, "credentials not refreshed exactly once");
                assertEquals(0, provider.grantsKilled(), "grants killed by a reused refresh token");
                assertEquals(REVOKED, provider.rejectedTokenRequests(), "only the revoked grants are refused");
                assertEquals(REVOKED + 1, deliveries.size(), "alerts delivered (and the webhook's confirmation)");
                assertEquals(0, duplicates, "alerts delivered more than once");
                assertTrue(bAgain.isAlive());
            }
        }
    }

    private static void awaitRequests(FakeTokenServer provider, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (provider.tokenRequests() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** The refresh tokens the credentials leased by {@code instance} hold now: what its requests in flight present. */
    private static Set<String> tokensLeasedBy(TestPostgres.Database database, String instance, FakeTokenServer provider,
                                              ApiClient api) throws Exception {
        Set<String> tokens = new HashSet<>();
        try (Connection db = database.connect(); Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT leaf_user_id FROM credentials WHERE lease_owner = '" + instance + "'")) {
            while (rs.next()) {
                String token = api.get(FakeProviderSetup.credentialPath(rs.getString(1))).json().get("refreshToken").asText();
                tokens.add(provider.currentRefreshToken(token));
            }
        }
        return tokens;
    }

    /** Deliveries answered per webhook-id (one per alert: there is one webhook). */
    private static Map<String, Integer> delivered(FakeWebhookReceiver receiver) {
        Map<String, Integer> counts = new HashMap<>();
        for (FakeWebhookReceiver.Received call : receiver.received()) {
            counts.merge(call.header("webhook-id"), 1, Integer::sum);
        }
        return counts;
    }
}
