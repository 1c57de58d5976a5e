package io.granary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.granary.testkit.FakeTokenServer;
import io.granary.testkit.FakeTokenServer.Fault;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider misbehaves for a window — HTTP 500, no answer past the provider timeout, an answer after it (the
 * token rotated anyway), connection closed unanswered, 200 with a body that is not JSON — then recovers, one
 * kind after the other, against the real jar.
 * No credential may ever become INVALID, every one must be VALID again (holding the refresh token the provider
 * currently accepts), and each credential may call the token endpoint during a window no more often than
 * {@code GRANARY_RETRY_BASE}/{@code GRANARY_RETRY_CAP} allow.
 *
 * <p>CI runs a reduced form; {@code bench/provider-faults.sh} runs it with more credentials and longer windows
 * through the {@code faults.*} system properties (durations in seconds).
 */
final class ProviderFaultsIT {

    private static final int CREDENTIALS = Integer.getInteger("faults.credentials", 40);
    /** High enough that hung calls do not cap the request rate below what broken backoff would produce. */
    private static final int CONCURRENCY = Integer.getInteger("faults.concurrency", 64);
    private static final Duration WINDOW = seconds("faults.window", "6");
    private static final Duration LIFETIME = seconds("faults.lifetime", "4");
    private static final Duration RETRY_BASE = seconds("faults.retryBase", "1");
    private static final Duration RETRY_CAP = seconds("faults.retryCap", "4");
    private static final Duration PROVIDER_TIMEOUT = seconds("faults.providerTimeout", "1");
    /** Which faults to run, comma-separated {@link Kind} names; all by default. */
    private static final List<Kind> KINDS = System.getProperty("faults.kinds", "").isBlank() ? List.of(Kind.values())
            : java.util.Arrays.stream(System.getProperty("faults.kinds").split(",")).map(String::trim).map(Kind::valueOf).toList();
    /** Server-side arrival times jitter (a request may wait for a thread of the fake): widens each window's bound. */
    private static final Duration ARRIVAL_JITTER = Duration.ofMillis(500);

    private enum Kind {
        HTTP_500(fake -> fake.failWith(500), Duration.ZERO, Duration.ZERO),
        // Each attempt waits out the provider timeout before its backoff starts.
        TIMEOUT(fake -> fake.fault(Fault.HANG), PROVIDER_TIMEOUT, Duration.ZERO),
        // The provider rotates the token but the answer comes after the timeout: the retry must still hold a token
        // the provider takes (the fake keeps a used one valid for 60 s, as Okta does).
        LATE_ANSWER(fake -> fake.fault(Fault.LATE_ANSWER), PROVIDER_TIMEOUT, Duration.ZERO),
        CLOSED_CONNECTION(fake -> fake.fault(Fault.CLOSE_CONNECTION), Duration.ZERO, Duration.ZERO),
        GARBAGE(fake -> fake.fault(Fault.GARBAGE), Duration.ZERO, Duration.ZERO),
        // A Retry-After no one should honour in full (Long.MAX_VALUE seconds): honoured up to the retry cap.
        HTTP_503_ABSURD_RETRY_AFTER(fake -> fake.failWith(503, String.valueOf(Long.MAX_VALUE)), Duration.ZERO, RETRY_CAP);

        final Consumer<FakeTokenServer> start;
        final Duration attemptTakes;
        final Duration leastWait;

        Kind(Consumer<FakeTokenServer> start, Duration attemptTakes, Duration leastWait) {
            this.start = start;
            this.attemptTakes = attemptTakes;
            this.leastWait = leastWait;
        }
    }

    @TempDir
    Path dir;

    @Test
    void providerFaults_neverInvalidate_allRecover_retriesRespectBackoff() throws Exception {
        if (WINDOW.compareTo(LIFETIME) <= 0) {
            throw new IllegalArgumentException("faults.window must exceed faults.lifetime, so a VALID credential after a window was refreshed after it");
        }
        // Threads for every call a HANG holds at once: CONCURRENCY per timeout, each held a second past it.
        try (FakeTokenServer fake = new FakeTokenServer(3 * CONCURRENCY + 16)) {
            // Short-lived access tokens: every credential is due within (lifetime - margin) of a window's start.
            fake.expiresIn(LIFETIME);
            fake.hangFor(PROVIDER_TIMEOUT.plusSeconds(1));
            Map<String, String> env = new HashMap<>(FakeProviderSetup.settings(fake));
            env.put("GRANARY_REFRESH_MARGIN", "1s");
            env.put("GRANARY_REFRESH_CONCURRENCY", String.valueOf(CONCURRENCY));
            env.put("GRANARY_PROVIDER_TIMEOUT", PROVIDER_TIMEOUT.toMillis() + "ms");
            env.put("GRANARY_RETRY_BASE", RETRY_BASE.toMillis() + "ms");
            env.put("GRANARY_RETRY_CAP", RETRY_CAP.toMillis() + "ms");
            env.put("GRANARY_REFRESH_LEASE", "20s");
            env.put("GRANARY_SCHEDULER_POLL", "1s");
            GranaryProcess granary = new GranaryProcess(dir.resolve("data"), env).start();
            try {
                ApiClient api = new ApiClient(granary.baseUrl()).login(GranaryProcess.ADMIN_EMAIL, GranaryProcess.ADMIN_PASSWORD);
                ApiClient anonymous = new ApiClient(granary.baseUrl());
                Instant attachedAt = Instant.now();
                List<String> users = CrashRecoveryIT.attach(api, fake, CREDENTIALS);
                System.out.printf(Locale.ROOT, "provider-faults: settings credentials=%d concurrency=%d window>=%ss tokenLifetime=%ss"
                                + " margin=1s retryBase=%ss retryCap=%ss providerTimeout=%ss kinds=%s%n",
                        CREDENTIALS, CONCURRENCY, WINDOW.toMillis() / 1000.0, LIFETIME.toMillis() / 1000.0,
                        RETRY_BASE.toMillis() / 1000.0, RETRY_CAP.toMillis() / 1000.0, PROVIDER_TIMEOUT.toMillis() / 1000.0, KINDS);
                Duration settled = awaitAllValid(api, fake, users, attachedAt, Duration.ofSeconds(120));
                if (settled == null) {
                    throw new AssertionError("credentials did not become VALID before any fault: " + CrashRecoveryIT.check(api, fake, users, attachedAt));
                }
                // Any token of a grant names it at the fake, whatever it has rotated to since.
                List<String> grants = new ArrayList<>();
                for (String user : users) {
                    grants.add(api.get(FakeProviderSetup.credentialPath(user)).json().get("refreshToken").asText());
                }

                List<String> failures = new ArrayList<>();
                List<String> lines = new ArrayList<>();
                Watcher watcher = new Watcher(api, users);
                try {
                    for (Kind kind : KINDS) {
                        Map<String, Double> outcomesBefore = refreshOutcomes(anonymous);
                        Instant start = Instant.now();
                        kind.start.accept(fake);
                        // At least WINDOW, and long enough that every credential met the fault (not vacuous).
                        while (Duration.between(start, Instant.now()).compareTo(WINDOW) < 0
                                || (credentialsHit(fake, grants, start, Instant.now()) < grants.size()
                                        && Duration.between(start, Instant.now()).compareTo(WINDOW.multipliedBy(3)) < 0)) {
                            Thread.sleep(200);
                        }
                        fake.recover();
                        Instant end = Instant.now();
                        Duration window = Duration.between(start, end);

                        int requests = 0;
                        int mostByOne = 0;
                        for (String grant : grants) {
                            int n = requestsBetween(fake, grant, start, end);
                            requests += n;
                            mostByOne = Math.max(mostByOne, n);
                        }
                        int hit = credentialsHit(fake, grants, start, end);
                        int perCredential = maxAttempts(window.plus(ARRIVAL_JITTER), RETRY_BASE, RETRY_CAP, kind.attemptTakes, kind.leastWait);
                        // One more for a credential whose healthy refresh raced the fault's start: only those in flight then.
                        int bound = grants.size() * perCredential + Math.min(grants.size(), CONCURRENCY);

                        Duration recovery = awaitAllValid(api, fake, users, end, RETRY_CAP.plusSeconds(60));
                        Map<String, Double> outcomesAfter = refreshOutcomes(anonymous);
                        long failedRefreshes = Math.round(outcomesAfter.getOrDefault("TEMPORARILY_UNAVAILABLE", 0.0)
                                - outcomesBefore.getOrDefault("TEMPORARILY_UNAVAILABLE", 0.0));

                        String line = String.format(Locale.ROOT,
                                "provider-faults: kind=%s window=%.1fs requests=%d bound=%d (%d per credential) mostByOneCredential=%d"
                                        + " credentialsHit=%d/%d failedRefreshes=%d recovery=%s",
                                kind, window.toMillis() / 1000.0, requests, bound, perCredential, mostByOne, hit, grants.size(),
                                failedRefreshes, recovery == null ? "NONE" : String.format(Locale.ROOT, "%.1fs", recovery.toMillis() / 1000.0));
                        System.out.println(line);
                        lines.add(line);

                        if (hit < grants.size()) {
                            failures.add(kind + ": only " + hit + " of " + grants.size() + " credentials called the provider during the window");
                        }
                        if (requests > bound) {
                            failures.add(kind + ": " + requests + " token requests during the window, backoff allows " + bound);
                        }
                        if (mostByOne > perCredential + 1) {
                            failures.add(kind + ": one credential called the provider " + mostByOne + " times, backoff allows " + (perCredential + 1));
                        }
                        if (failedRefreshes <= 0) {
                            failures.add(kind + ": granary counted no failed refresh");
                        }
                        if (recovery == null) {
                            failures.add(kind + ": not all recovered: " + head(CrashRecoveryIT.check(api, fake, users, end)));
                            break;
                        }
                    }
                } finally {
                    watcher.close();
                }
                failures.addAll(watcher.problems());
                System.out.printf("provider-faults: credentials=%d reads=%d invalidSeen=%d unavailableSeen=%d tokenRequests=%d rejected=%d%n",
                        CREDENTIALS, watcher.reads.get(), watcher.invalid.get(), watcher.unavailable.get(),
                        fake.tokenRequests(), fake.rejectedTokenRequests());
                Map<String, Double> outcomes = refreshOutcomes(anonymous);
                System.out.println("provider-faults: refresh outcomes " + outcomes);
                if (outcomes.containsKey("INVALID")) {
                    failures.add("granary recorded " + outcomes.get("INVALID") + " refreshes ending INVALID");
                }
                if (fake.rejectedTokenRequests() != 0) {
                    failures.add(fake.rejectedTokenRequests() + " token requests presented a refresh token the provider no longer accepted");
                }
                assertEquals(List.of(), failures, String.join("\n", lines));
            } finally {
                granary.stop();
            }
        }
    }

    /**
     * The most token requests one credential can make in {@code window}, starting with no failures: each failed
     * attempt takes {@code attemptTakes}, then waits at least half of min(cap, base * 2^(failures-1)) — the lower
     * edge of {@code RefreshPolicy.nextRetry}'s jitter — and at least {@code leastWait} (a Retry-After).
     */
    static int maxAttempts(Duration window, Duration base, Duration cap, Duration attemptTakes, Duration leastWait) {
        long spent = 0;
        int attempts = 1;
        for (int failures = 1; ; failures++) {
            long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(failures - 1, 20));
            spent += attemptTakes.toMillis() + Math.max(ceiling / 2, leastWait.toMillis());
            if (spent > window.toMillis()) {
                return attempts;
            }
            attempts++;
        }
    }

    private static int requestsBetween(FakeTokenServer fake, String grant, Instant from, Instant to) {
        return (int) fake.tokenRequestTimes(grant).stream().filter(t -> !t.isBefore(from) && !t.isAfter(to)).count();
    }

    private static int credentialsHit(FakeTokenServer fake, List<String> grants, Instant from, Instant to) {
        return (int) grants.stream().filter(g -> requestsBetween(fake, g, from, to) > 0).count();
    }

    /** How long until every credential is VALID, refreshed after {@code since} and holding the current token; null if not within {@code limit}. */
    private static Duration awaitAllValid(ApiClient api, FakeTokenServer fake, List<String> users, Instant since, Duration limit) throws Exception {
        Instant deadline = since.plus(limit);
        while (Instant.now().isBefore(deadline)) {
            if (CrashRecoveryIT.check(api, fake, users, since).isEmpty()) {
                return Duration.between(since, Instant.now());
            }
            Thread.sleep(250);
        }
        return null;
    }

    private static final Pattern REFRESH_COUNT = Pattern.compile("granary_refreshes_seconds_count\\{outcome=\"(\\w+)\",provider=\"Trimble\"} (\\S+)");

    /** Refreshes that called the provider, by outcome, as /metrics counts them. */
    private static Map<String, Double> refreshOutcomes(ApiClient anonymous) throws Exception {
        Map<String, Double> outcomes = new HashMap<>();
        Matcher m = REFRESH_COUNT.matcher(anonymous.get("/metrics").body());
        while (m.find()) {
            outcomes.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return outcomes;
    }

    private static List<String> head(List<String> problems) {
        return problems.subList(0, Math.min(10, problems.size()));
    }

    private static Duration seconds(String property, String fallback) {
        return Duration.parse("PT" + System.getProperty(property, fallback) + "S");
    }

    /** Reads every credential over and over through the API, fault windows included: INVALID must never show. */
    private static final class Watcher {
        private final List<Thread> threads = new ArrayList<>();
        private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger invalid = new AtomicInteger();
        final AtomicInteger unavailable = new AtomicInteger();
        private volatile boolean stopped;

        Watcher(ApiClient api, List<String> users) {
            int readers = 4;
            for (int r = 0; r < readers; r++) {
                List<String> mine = new ArrayList<>();
                for (int i = r; i < users.size(); i += readers) {
                    mine.add(users.get(i));
                }
                Thread thread = new Thread(() -> watch(api, mine), "watcher-" + r);
                thread.setDaemon(true);
                thread.start();
                threads.add(thread);
            }
        }

        private void watch(ApiClient api, List<String> users) {
            while (!stopped) {
                for (String user : users) {
                    try {
                        ApiClient.Answer answer = api.get(FakeProviderSetup.credentialPath(user));
                        reads.incrementAndGet();
                        if (answer.status() != 200) {
                            note(user + ": reading the credential answered HTTP " + answer.status());
                            continue;
                        }
                        JsonNode json = answer.json();
                        String status = json.get("status").asText();
                        if ("INVALID".equals(status)) {
                            invalid.incrementAndGet();
                            note(user + ": INVALID at " + Instant.now() + ": " + json.path("statusMessage").asText());
                        } else if ("TEMPORARILY_UNAVAILABLE".equals(status)) {
                            unavailable.incrementAndGet();
                        }
                    } catch (Exception e) {
                        note(user + ": reading the credential failed: " + e);
                    }
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void note(String problem) {
            if (problems.size() < 10) {
                problems.add(problem);
            }
        }

        List<String> problems() {
            return List.copyOf(problems);
        }

        void close() throws InterruptedException {
            stopped = true;
            for (Thread thread : threads) {
                thread.join(30_000);
            }
        }
    }
}
