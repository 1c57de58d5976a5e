package io.granary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.granary.testkit.FakeTokenServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the real jar at random moments while it refreshes credentials against a provider that rotates
 * refresh tokens on every use (and keeps a used one valid for 60 s), restarting each time. Afterwards every
 * credential must be VALID and hold the refresh token the provider currently accepts.
 *
 * <p>CI runs a reduced form; {@code bench/crash-recovery.sh} runs it with {@code -Dcrash.kills=20} and more credentials.
 */
final class CrashRecoveryIT {

    private static final int KILLS = Integer.getInteger("crash.kills", 4);
    private static final int CREDENTIALS = Integer.getInteger("crash.credentials", 150);

    @TempDir
    Path dir;

    @Test
    void killNine_duringRefreshStorm_losesNoRefreshToken() throws Exception {
        Random random = new Random(Long.getLong("crash.seed", System.nanoTime()));
        try (FakeTokenServer fake = new FakeTokenServer(32)) {
            fake.latency(Duration.ofMillis(20));
            // Short-lived access tokens keep every credential refreshing every few seconds: kills land mid-refresh.
            fake.expiresIn(Duration.ofSeconds(4));
            Map<String, String> env = new HashMap<>(FakeProviderSetup.settings(fake));
            env.put("GRANARY_REFRESH_MARGIN", "1s");
            env.put("GRANARY_REFRESH_CONCURRENCY", "16");
            env.put("GRANARY_PROVIDER_TIMEOUT", "3s");
            env.put("GRANARY_REFRESH_LEASE", "10s");
            env.put("GRANARY_SCHEDULER_POLL", "1s");
            GranaryProcess granary = new GranaryProcess(dir.resolve("data"), env).start();
            try {
                ApiClient api = new ApiClient(granary.baseUrl()).login(GranaryProcess.ADMIN_EMAIL, GranaryProcess.ADMIN_PASSWORD);
                List<String> users = attach(api, fake, CREDENTIALS);

                for (int kill = 0; kill < KILLS; kill++) {
                    Thread.sleep(300 + random.nextInt(1700));
                    granary.kill();
                    granary.start();
                }
                int requestsBeforeCalm = fake.tokenRequests();
                // Calm down: long-lived tokens from now on, so once each credential refreshed again it stays put.
                fake.expiresIn(Duration.ofHours(2));
                Instant calm = Instant.now().plus(Duration.ofMinutes(90));
                ApiClient after = new ApiClient(granary.baseUrl()).login(GranaryProcess.ADMIN_EMAIL, GranaryProcess.ADMIN_PASSWORD);
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                List<String> problems;
                do {
                    Thread.sleep(500);
                    problems = check(after, fake, users, calm);
                } while (!problems.isEmpty() && System.nanoTime() < deadline);

                System.out.printf("crash-recovery: kills=%d credentials=%d tokenRequests=%d (during kills %d) rejected=%d lost=%d%n",
                        KILLS, CREDENTIALS, fake.tokenRequests(), requestsBeforeCalm, fake.rejectedTokenRequests(), problems.size());
                assertEquals(List.of(), problems.subList(0, Math.min(10, problems.size())), problems.size() + " credentials lost or not recovered");
                assertEquals(0, fake.rejectedTokenRequests(), "granary presented a refresh token the provider no longer accepted");
            } finally {
                granary.stop();
            }
        }
    }

    static List<String> attach(ApiClient api, FakeTokenServer fake, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> created = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                created.add(pool.submit(() -> {
                    String userId = api.post("/services/usermanagement/api/users", "{\"name\":\"grower " + k + "\"}").json().get("id").asText();
                    ApiClient.Answer answer = api.post(FakeProviderSetup.credentialPath(userId), FakeProviderSetup.credentialBody(fake.newGrant()));
                    if (answer.status() != 201) {
                        throw new AssertionError("attach failed: " + answer.status() + " " + answer.body());
                    }
                    return userId;
                }));
            }
            List<String> users = new ArrayList<>();
            for (Future<String> f : created) {
                users.add(f.get());
            }
            return users;
        } finally {
            pool.shutdown();
        }
    }

    /** What is wrong with each credential: not VALID, not refreshed since the calm, or a token the provider no longer takes as current. */
    static List<String> check(ApiClient api, FakeTokenServer fake, List<String> users, Instant refreshedAfter) throws Exception {
        List<String> problems = new ArrayList<>();
        for (String user : users) {
            ApiClient.Answer answer = api.get(FakeProviderSetup.credentialPath(user));
            if (answer.status() != 200) {
                problems.add(user + ": HTTP " + answer.status());
                continue;
            }
            JsonNode json = answer.json();
            String status = json.get("status").asText();
            JsonNode expires = json.get("accessTokenExpiresAt");
            String token = json.path("refreshToken").asText(null);
            if (!"VALID".equals(status)) {
                problems.add(user + ": " + status + " " + json.path("statusMessage").asText());
            } else if (expires == null || expires.isNull() || Instant.parse(expires.asText()).isBefore(refreshedAfter)) {
                problems.add(user + ": not refreshed since the crash phase");
            } else if (token == null || !token.equals(fake.currentRefreshToken(token))) {
                problems.add(user + ": holds a refresh token the provider has rotated away");
            }
        }
        return problems;
    }
}
