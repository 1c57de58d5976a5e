package io.granary.app;

import io.granary.core.port.out.Storage;
import io.granary.testkit.FakeTokenServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmarks behind bench/*.sh (not a test: surefire and failsafe ignore it). Each runs the real granary.jar
 * as a process against an in-process {@link FakeTokenServer}, and prints its numbers last, as {@code key: value}.
 * Settings are system properties ({@code -Dbench.n=...}); the scripts pass them through.
 */
final class Bench {

    private final Map<String, String> results = new LinkedHashMap<>();
    private final Path work;

    private Bench(Path work) {
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("granary-bench-");
        Bench bench = new Bench(work);
        try {
            switch (args[0]) {
                case "api" -> bench.api();
                case "storm" -> bench.storm();
                case "scale" -> bench.scale();
                case "writes" -> bench.writes();
                case "serve" -> bench.serve();
                default -> throw new IllegalArgumentException("api | storm | scale | writes | serve");
            }
        } finally {
            deleteTree(work);
        }
        System.out.println();
        System.out.println("== results (" + args[0] + ") ==");
        bench.results.forEach((k, v) -> System.out.println(k + ": " + v));
        System.exit(0);
    }

    // ---- a. API throughput and latency against a bare Undertow baseline ----

    private void api() throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 15);
        // How many distinct credentials wrk reads, in random order (a Lua script picks each path); 1 reads one hot
        // credential over and over, as the fourth and fifth sessions measured.
        int spread = Integer.getInteger("bench.spread", 2_000);
        try (FakeTokenServer fake = new FakeTokenServer(8)) {
            // Defaults, as a newcomer runs it: secrets masked in answers (revealing them turns the answer cache off).
            Map<String, String> cachedSettings = FakeProviderSetup.endpoints(fake);
            Map<String, String> uncachedSettings = withAnswerCacheOff(cachedSettings);
            Path cachedData = work.resolve("data");
            Path uncachedData = work.resolve("data-uncached");
            List<String> cachedUsers = spread > 1 ? seedValidated(cachedData, cachedSettings, fake, spread) : null;
            List<String> uncachedUsers = spread > 1 ? seedValidated(uncachedData, uncachedSettings, fake, spread) : null;
            try (GranaryProcess granary = new GranaryProcess(cachedData, cachedSettings).start();
                 GranaryProcess uncached = new GranaryProcess(uncachedData, uncachedSettings).start()) {
                Target target = spread > 1 ? spreadTarget(granary, cachedUsers, "cached") : validCredential(granary, fake);
                Target uncachedTarget = spread > 1 ? spreadTarget(uncached, uncachedUsers, "uncached") : validCredential(uncached, fake);
                apiRounds(granary, uncached, target, uncachedTarget, fake, seconds, spread);
            }
        }
    }

    private void apiRounds(GranaryProcess granary, GranaryProcess uncached, Target target, Target uncachedTarget,
                           FakeTokenServer fake, int seconds, int spread) throws Exception {
        int port = freePort();
        int workerPort = freePort();
        Process baseline = baseline(port, "io");
        Process dispatched = baseline(workerPort, "worker");
        try {
            waitForPort(port);
            waitForPort(workerPort);
            String baseUrl = "http://127.0.0.1:" + port + "/";
            String workerUrl = "http://127.0.0.1:" + workerPort + "/";
            // The baseline is sent what Granary is sent: in spread mode the same script (paths and bearer header,
            // which it ignores), so Undertow's parsing of them counts on both sides; with one hot credential the plain
            // GET / (the earlier sessions' ratio) and, once, Granary's request.
            Target base = target.script == null ? new Target(baseUrl, "/", null, null) : new Target(baseUrl, "/", target.token, target.script);
            // Warm the JITs first: Granary's request path is long; with wrk using the same 2 cores, C2 was still taking
            // a tenth of the CPU after 30 s of load, and throughput still rising after 60 s.
            // Measured runs follow back to back so they share the machine's state.
            int warmup = Integer.getInteger("bench.warmup", 60);
            wrk(base, warmup);
            wrk(new Target(workerUrl, "/", null, null), warmup);
            wrk(target, warmup);
            wrk(uncachedTarget, warmup);
            // The ratios from rounds of baseline, Granary, Granary without its answer cache, back to back: on a shared
            // 2-core machine either side can lose a tenth between runs a minute apart, so one pair decides little;
            // the median round (by ratio) of each is reported.
            int roundCount = Integer.getInteger("bench.rounds", 3);
            List<Wrk[]> rounds = new ArrayList<>();
            double fromMemoryBefore = granary.metric(FROM_MEMORY);
            long cachedRequests = 0;
            for (int round = 0; round < roundCount; round++) {
                Wrk[] r = {wrk(base, seconds), wrk(target, seconds), wrk(uncachedTarget, seconds)};
                cachedRequests += r[1].requests;
                rounds.add(r);
            }
            double fromMemory = granary.metric(FROM_MEMORY) - fromMemoryBefore;
            Wrk worker = wrk(new Target(workerUrl, "/", null, null), seconds);
            Wrk baseSameRequest = target.script == null
                    ? wrk(new Target(baseUrl.substring(0, baseUrl.length() - 1) + target.path, target.path, target.token, null), seconds) : null;
            // Reads while another client writes: a steady trickle of attach + delete pairs, each about five commits.
            int pairsPerSecond = Integer.getInteger("bench.mixedWrites", 20);
            List<Wrk[]> mixedRounds = new ArrayList<>();
            AtomicInteger pairs = new AtomicInteger();
            // The write paths (attach, validation, delete) are compiled before measuring, as in a server that has run a while.
            try (AutoCloseable writer = steadyWrites(granary, fake, pairsPerSecond, new AtomicInteger())) {
                wrk(target, warmup);
            }
            try (AutoCloseable writer = steadyWrites(uncached, fake, pairsPerSecond, new AtomicInteger())) {
                wrk(uncachedTarget, warmup);
            }
            double fromMemoryBeforeMixed = granary.metric(FROM_MEMORY);
            long mixedRequests = 0;
            int mixedRoundCount = Integer.getInteger("bench.mixedRounds", 1);
            for (int round = 0; round < mixedRoundCount; round++) {
                Wrk mixedBase = wrk(base, seconds);
                Wrk mixed;
                try (AutoCloseable writer = steadyWrites(granary, fake, pairsPerSecond, pairs)) {
                    mixed = wrk(target, seconds);
                }
                Wrk mixedUncached;
                try (AutoCloseable writer = steadyWrites(uncached, fake, pairsPerSecond, new AtomicInteger())) {
                    mixedUncached = wrk(uncachedTarget, seconds);
                }
                mixedRequests += mixed.requests;
                mixedRounds.add(new Wrk[] {mixedBase, mixed, mixedUncached});
            }
            double fromMemoryMixed = granary.metric(FROM_MEMORY) - fromMemoryBeforeMixed;

            results.put("mode", spread > 1 ? spread + " distinct credentials read in random order (wrk Lua script, sent to the baseline too)"
                    : "one credential read over and over");
            results.put("connections", "64 (wrk -t2 -c64 -d" + seconds + "s, after " + warmup + " s warm-up each)");
            report("", rounds, 1, "default (answer cache on)");
            report("", rounds, 2, "answer cache off");
            results.put("answers sent from memory (cache on)", String.format("%.1f %%", 100 * fromMemory / cachedRequests));
            report("while writing " + pairsPerSecond + " pairs/s: ", mixedRounds, 1, "default (answer cache on)");
            report("while writing " + pairsPerSecond + " pairs/s: ", mixedRounds, 2, "answer cache off");
            results.put("while writing: attach + delete pairs done (cache on), answers sent from memory",
                    pairs.get() + ", " + String.format("%.1f %%", 100 * fromMemoryMixed / mixedRequests));
            results.put("baseline on a worker thread req/s, p50/p99/max ms", fmt(worker.rps) + ", " + worker.p50 + " / " + worker.p99 + " / " + worker.max);
            if (baseSameRequest != null) {
                results.put("baseline sent Granary's request (path, bearer header) req/s", fmt(baseSameRequest.rps));
            }
        } finally {
            baseline.destroyForcibly();
            dispatched.destroyForcibly();
        }
    }

    /** One configuration's rounds against the baseline of the same round: each round's ratio, and the median round's figures. */
    private void report(String prefix, List<Wrk[]> rounds, int column, String name) {
        List<Wrk[]> sorted = new ArrayList<>(rounds);
        sorted.sort(java.util.Comparator.comparingDouble(round -> round[column].rps / round[0].rps));
        Wrk[] median = sorted.get(sorted.size() / 2);
        Wrk mine = median[column];
        results.put(prefix + name + ": rounds granary / baseline req/s = ratio", sorted.stream()
                .map(round -> fmt(round[column].rps) + " / " + fmt(round[0].rps) + " = " + String.format("%.3f", round[column].rps / round[0].rps))
                .collect(java.util.stream.Collectors.joining("; ")) + " (sorted)");
        results.put(prefix + name + ": median ratio", String.format("%.3f", mine.rps / median[0].rps));
        results.put(prefix + name + ": req/s, p50/p99/max ms, non-2xx (median round)", fmt(mine.rps) + ", "
                + mine.p50 + " / " + mine.p99 + " / " + mine.max + ", " + mine.errors);
        results.put(prefix + name + ": p99 < 10 ms in every round", String.valueOf(rounds.stream().allMatch(round -> round[column].p99 < 10)));
        results.put(prefix + name + ": baseline req/s, p50/p99/max ms (median round)", fmt(median[0].rps) + ", "
                + median[0].p50 + " / " + median[0].p99 + " / " + median[0].max);
    }

    /**
     * A data directory holding {@code n} Trimble credentials, seeded PROCESSING and due, then validated by Granary
     * against the fake provider (as attaching them would, without 2n API writes), so each holds a real access token.
     */
    private List<String> seedValidated(Path data, Map<String, String> settings, FakeTokenServer fake, int n) throws Exception {
        initialise(data, settings);
        Instant now = Instant.now();
        List<String> users = Seeder.seed(data, n, i -> fake.newGrant(), i -> now, "PROCESSING", null);
        try (GranaryProcess granary = new GranaryProcess(data, settings).start();
             Connection db = DriverManager.getConnection("jdbc:sqlite:" + data.resolve(Application.DATABASE_FILE))) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (count(db, "SELECT count(*) FROM credentials WHERE status = 'VALID'") < n) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the seeded credentials did not all become VALID");
                }
                Thread.sleep(100);
            }
            granary.stop();
        }
        return users;
    }

    /** A wrk Lua script reading the users' credentials in random order (each wrk thread seeded differently). */
    private Target spreadTarget(GranaryProcess granary, List<String> users, String name) throws Exception {
        ApiClient api = new ApiClient(granary.baseUrl()).login(GranaryProcess.ADMIN_EMAIL, GranaryProcess.ADMIN_PASSWORD);
        StringBuilder lua = new StringBuilder("local paths = {\n");
        for (String user : users) {
            lua.append("  \"").append(FakeProviderSetup.credentialPath(user)).append("\",\n");
        }
        lua.append("}\n")
                .append("local threads = 0\n")
                .append("function setup(thread) threads = threads + 1; thread:set(\"seed\", threads) end\n")
                .append("function init(args) math.randomseed(os.time() * 100 + seed) end\n")
                .append("function request() return wrk.format(nil, paths[math.random(#paths)]) end\n");
        Path script = work.resolve("spread-" + name + ".lua");
        Files.writeString(script, lua);
        String first = FakeProviderSetup.credentialPath(users.get(0));
        return new Target(granary.baseUrl() + first, first, api.token(), script);
    }

    private static final String FROM_MEMORY = "granary_http_answers_from_memory_total";

    /** Attaches and deletes a credential of another user, {@code perSecond} times a second, until closed. */
    private static AutoCloseable steadyWrites(GranaryProcess granary, FakeTokenServer fake, int perSecond, AtomicInteger done) throws Exception {
        ApiClient api = new ApiClient(granary.baseUrl()).login(GranaryProcess.ADMIN_EMAIL, GranaryProcess.ADMIN_PASSWORD);
        String path = FakeProviderSetup.credentialPath(api.post("/services/usermanagement/api/users", "{\"name\":\"Writer\"}")
                .json().get("id").asText());
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
        writer.scheduleAtFixedRate(() -> {
            try {
                api.post(path, FakeProviderSetup.credentialBody(fake.newGrant()));
                api.delete(path);
                done.incrementAndGet();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, 0, 1_000_000 / perSecond, TimeUnit.MICROSECONDS);
        return () -> {
            writer.shutdown();
            writer.awaitTermination(10, TimeUnit.SECONDS);
        };
    }

    /** For experiments while profiling: {@code -Dbench.settings=GRANARY_LOG_LEVEL=WARN,...} on top of the defaults. */
    private static Map<String, String> withExtra(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        for (String pair : System.getProperty("bench.settings", "").split(",")) {
            if (pair.contains("=")) {
                all.put(pair.substring(0, pair.indexOf('=')).trim(), pair.substring(pair.indexOf('=') + 1).trim());
            }
        }
        return all;
    }

    private static Map<String, String> withAnswerCacheOff(Map<String, String> settings) {
        Map<String, String> off = new HashMap<>(settings);
        off.put("GRANARY_ANSWER_CACHE_MB", "0");
        return off;
    }

    private Process baseline(int port, String mode) throws IOException {
        return new ProcessBuilder(javaBin(), "-cp", System.getProperty("java.class.path"),
                System.getProperty("bench.baseline", "bench/BareUndertow.java"), String.valueOf(port), mode)
                .redirectErrorStream(true).redirectOutput(work.resolve("baseline-" + mode + ".log").toFile()).start();
    }

    /** For profiling: the API benchmark's target, held until this process is stopped. */
    private void serve() throws Exception {
        int spread = Integer.getInteger("bench.spread", 1);
        try (FakeTokenServer fake = new FakeTokenServer(8)) {
            Map<String, String> settings = withExtra(FakeProviderSetup.endpoints(fake));
            Path data = work.resolve("data");
            List<String> users = spread > 1 ? seedValidated(data, settings, fake, spread) : null;
            try (GranaryProcess granary = new GranaryProcess(data, settings).start()) {
                Target target = spread > 1 ? spreadTarget(granary, users, "serve") : validCredential(granary, fake);
                int pairsPerSecond = Integer.getInteger("bench.mixedWrites", 0); // for profiling reads beside writes
                if (pairsPerSecond > 0) {
                    steadyWrites(granary, fake, pairsPerSecond, new AtomicInteger());
                }
                System.out.println("granary pid " + granary.pid());
                System.out.println("wrk -t2 -c64 -d15s --latency -H 'Authorization: Bearer " + target.token + "' "
                        + (target.script == null ? "" : "-s " + target.script + " ") + target.url);
                Thread.sleep(Long.MAX_VALUE);
            }
        }
    }

    // ---- b. Refresh storm: N credentials due at once ----

    private void storm() throws Exception {
        int n = Integer.getInteger("bench.n", 10_000);
        int latency = Integer.getInteger("bench.latencyMs", 50);
        int concurrency = Integer.getInteger("bench.concurrency", 64);
        try (FakeTokenServer fake = new FakeTokenServer(concurrency * 2)) {
            Map<String, String> env = new HashMap<>(FakeProviderSetup.settings(fake));
            env.put("GRANARY_REFRESH_CONCURRENCY", String.valueOf(concurrency));
            env.put("GRANARY_SCHEDULER_POLL", "1s"); // the warm storm's rows are made due behind the scheduler's back
            Path data = work.resolve("data");
            initialise(data, env);
            long seedStart = System.nanoTime();
            Instant now = Instant.now();
            String[] tokens = new String[n];
            for (int i = 0; i < n; i++) {
                tokens[i] = fake.newGrant();
            }
            Seeder.seed(data, n, i -> tokens[i], i -> now, "PROCESSING", null);
            results.put("seeded", n + " credentials in " + millis(seedStart) + " ms (direct batched inserts)");
            fake.latency(Duration.ofMillis(latency));
            long launched = System.nanoTime();
            try (GranaryProcess granary = new GranaryProcess(data, env).start();
                 Connection db = DriverManager.getConnection("jdbc:sqlite:" + data.resolve(Application.DATABASE_FILE))) {
                long ready = System.nanoTime();
                long deadline = launched + TimeUnit.MINUTES.toNanos(8);
                long valid;
                while ((valid = count(db, "SELECT count(*) FROM credentials WHERE status = 'VALID'")) < n && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                long done = System.nanoTime();
                Thread.sleep(2_000); // anything sent twice would show up now
                valid = count(db, "SELECT count(*) FROM credentials WHERE status = 'VALID'");
                double ideal = n * (2.0 * latency) / concurrency / 1000.0;
                double wall = (done - launched) / 1e9;
                results.put("credentials, provider latency, concurrency", n + ", " + latency + " ms per call, " + concurrency);
                results.put("wall time from launch", String.format("%.1f s", wall));
                results.put("wall time from ready", String.format("%.1f s", (done - ready) / 1e9));
                results.put("ideal N x 2 calls x latency / concurrency", String.format("%.1f s (Trimble: token + userinfo per refresh)", ideal));
                results.put("wall / ideal", String.format("%.2f", wall / ideal));
                results.put("token requests", fake.tokenRequests() + " (must be " + n + ")");
                results.put("rejected token requests", String.valueOf(fake.rejectedTokenRequests()));
                results.put("credentials VALID", valid + " (must be " + n + ")");

                // The same storm again in the same process, its JIT now warm: e.g. every credential due at once
                // after a provider outage, rather than after a restart.
                Instant warmStart = Instant.now();
                long warmStarted = System.nanoTime();
                try (PreparedStatement due = db.prepareStatement("UPDATE credentials SET next_refresh_at = ?")) {
                    due.setLong(1, Seeder.micros(warmStart));
                    due.executeUpdate();
                }
                String pending = "SELECT count(*) FROM credentials WHERE status <> 'VALID' OR next_refresh_at <= " + Seeder.micros(warmStart);
                while (count(db, pending) > 0 && System.nanoTime() < deadline + TimeUnit.MINUTES.toNanos(4)) {
                    Thread.sleep(50);
                }
                double warmWall = (System.nanoTime() - warmStarted) / 1e9;
                Thread.sleep(2_000);
                results.put("warm storm: wall time", String.format("%.1f s", warmWall));
                results.put("warm storm: wall / ideal", String.format("%.2f", warmWall / ideal));
                results.put("warm storm: token requests", (fake.tokenRequests() - n) + " (must be " + n + ")");
                results.put("warm storm: credentials VALID", count(db, "SELECT count(*) FROM credentials WHERE status = 'VALID'") + " (must be " + n + ")");
            }
        }
    }

    // ---- c. Scale: a million stored credentials ----

    private void scale() throws Exception {
        int n = Integer.getInteger("bench.n", 1_000_000);
        int seconds = Integer.getInteger("bench.seconds", 15);
        try (FakeTokenServer fake = new FakeTokenServer(8)) {
            Map<String, String> env = FakeProviderSetup.settings(fake);
            Path data = work.resolve("data");
            Target target;
            try (GranaryProcess granary = new GranaryProcess(data, env).start()) {
                target = validCredential(granary, fake);
            }
            long seedStart = System.nanoTime();
            Instant now = Instant.now();
            // Spread over the next day, as a steady population would be; none due during the run.
            Seeder.seed(data, n, i -> "rt-seeded-" + i, i -> now.plusSeconds(3600 + (i * 7919L) % 82_800), "VALID", now.plus(Duration.ofHours(24)));
            results.put("seeded", n + " credentials in " + millis(seedStart) + " ms (direct batched inserts)");
            long dbBytes = Files.size(data.resolve(Application.DATABASE_FILE));
            long launched = System.nanoTime();
            try (GranaryProcess granary = new GranaryProcess(data, env).start()) {
                results.put("start-up (launch to serving)", millis(launched) + " ms (target < 3000)");
                Thread.sleep(5_000);
                results.put("idle RSS", rssMb(granary.pid()) + " MB (target < 256)");
                String login = new ApiClient(granary.baseUrl()).login(GranaryProcess.ADMIN_EMAIL, GranaryProcess.ADMIN_PASSWORD).token();
                String url = granary.baseUrl() + target.path;
                long[] maxRss = {0};
                Thread sampler = new Thread(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        maxRss[0] = Math.max(maxRss[0], rssMb(granary.pid()));
                        try {
                            Thread.sleep(250);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                sampler.start();
                Wrk load = wrk(url, login, seconds);
                sampler.interrupt();
                sampler.join();
                results.put("RSS under API load (max)", maxRss[0] + " MB");
                results.put("API under load req/s, p50/p99 ms", fmt(load.rps) + ", " + load.p50 + " / " + load.p99);
                try (Storage storage = Application.openStorage(Settings.from(Map.of("GRANARY_DATA_DIR", data.toString())), new DataDirectory(data), false)) {
                    results.put("findDue, none due (median of 50)", timeMicros(() -> storage.credentials().findDue(Instant.now(), 256)) + " us (target < 10 ms)");
                    results.put("findDue, all due, limit 256 (median of 50)", timeMicros(() -> storage.credentials().findDue(Instant.now().plus(Duration.ofDays(2)), 256)) + " us");
                    results.put("earliestDue (median of 50)", timeMicros(() -> storage.credentials().earliestDue()) + " us");
                    results.put("countByProviderAndStatus (median of 5)", timeMicros(5, () -> storage.credentials().countByProviderAndStatus()) + " us");
                }
            }
            results.put("DB size on disk", (dbBytes / (1024 * 1024)) + " MB for " + (n + 1) + " credentials");
        }
    }

    // ---- d. Writes: attach + delete pairs ----

    private void writes() throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 15);
        int threads = Integer.getInteger("bench.threads", 16);
        try (FakeTokenServer fake = new FakeTokenServer(16);
             GranaryProcess granary = new GranaryProcess(work.resolve("data"), FakeProviderSetup.settings(fake)).start()) {
            ApiClient api = new ApiClient(granary.baseUrl()).login(GranaryProcess.ADMIN_EMAIL, GranaryProcess.ADMIN_PASSWORD);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<long[]>> runs = new ArrayList<>();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            for (int t = 0; t < threads; t++) {
                String userId = api.post("/services/usermanagement/api/users", "{\"name\":\"writer\"}").json().get("id").asText();
                runs.add(pool.submit(() -> {
                    List<Long> took = new ArrayList<>();
                    String path = FakeProviderSetup.credentialPath(userId);
                    while (System.nanoTime() < end) {
                        long start = System.nanoTime();
                        ApiClient.Answer attached = api.post(path, FakeProviderSetup.credentialBody(fake.newGrant()));
                        ApiClient.Answer deleted = api.delete(path);
                        if (attached.status() != 201 || deleted.status() != 204) {
                            throw new AssertionError("attach " + attached.status() + " / delete " + deleted.status() + ": " + attached.body());
                        }
                        took.add(System.nanoTime() - start);
                    }
                    return took.stream().mapToLong(Long::longValue).toArray();
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<long[]> run : runs) {
                for (long v : run.get()) {
                    all.add(v);
                }
            }
            pool.shutdown();
            long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
            results.put("clients", threads + " threads, " + seconds + " s");
            results.put("attach+delete pairs/s", fmt(sorted.length / (double) seconds));
            results.put("pair p50/p99/max ms", String.format("%.1f / %.1f / %.1f", sorted[sorted.length / 2] / 1e6,
                    sorted[(int) (sorted.length * 0.99)] / 1e6, sorted[sorted.length - 1] / 1e6));
            results.put("background validations (token requests)", String.valueOf(fake.tokenRequests()));
        }
    }

    // ---- helpers ----

    /** What wrk sends: the URL (its path replaced by the script's, if any), the bearer token, a Lua script or null. */
    private record Target(String url, String path, String token, Path script) {
    }

    /** An owner, a user and a Trimble credential the fake provider validated: what every API read needs. */
    private static Target validCredential(GranaryProcess granary, FakeTokenServer fake) throws Exception {
        ApiClient api = new ApiClient(granary.baseUrl()).login(GranaryProcess.ADMIN_EMAIL, GranaryProcess.ADMIN_PASSWORD);
        String userId = api.post("/services/usermanagement/api/users", "{\"name\":\"Ann\"}").json().get("id").asText();
        String path = FakeProviderSetup.credentialPath(userId);
        api.post(path, FakeProviderSetup.credentialBody(fake.newGrant()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!"VALID".equals(api.get(path).json().get("status").asText())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("credential did not become VALID");
            }
            Thread.sleep(50);
        }
        return new Target(granary.baseUrl() + path, path, api.token(), null);
    }

    /** Starts Granary once so the data directory has its schema, owner and key, then stops it. */
    private static void initialise(Path data, Map<String, String> env) throws Exception {
        try (GranaryProcess granary = new GranaryProcess(data, env).start()) {
            granary.stop();
        }
    }

    private record Wrk(double rps, long requests, double p50, double p99, double max, long errors) {
    }

    private Wrk wrk(String url, String token, int seconds) throws Exception {
        return wrk(new Target(url, null, token, null), seconds);
    }

    private Wrk wrk(Target target, int seconds) throws Exception {
        List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c64", "-d" + seconds + "s", "--latency"));
        if (target.token != null) {
            command.addAll(List.of("-H", "Authorization: Bearer " + target.token));
        }
        if (target.script != null) {
            command.addAll(List.of("-s", target.script.toString()));
        }
        command.add(target.url);
        Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        wrk.waitFor();
        Files.writeString(work.resolve("wrk.log"), out + "\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        double rps = Double.parseDouble(group(out, "Requests/sec:\\s+([0-9.]+)"));
        Matcher latency = Pattern.compile("Latency\\s+([0-9.]+[a-z]+)\\s+([0-9.]+[a-z]+)\\s+([0-9.]+[a-z]+)").matcher(out);
        if (!latency.find()) {
            throw new IllegalStateException("unexpected wrk output:\n" + out);
        }
        String errors = out.contains("Non-2xx") ? group(out, "Non-2xx or 3xx responses:\\s+(\\d+)") : "0";
        try {
            // Percentiles anchored at the line start: the "+/- Stdev" column (e.g. "76.99%") ends in "99%" too.
            long requests = Long.parseLong(group(out, "(\\d+) requests in"));
            return new Wrk(rps, requests, ms(group(out, "(?m)^\\s+50%\\s+(\\S+)")), ms(group(out, "(?m)^\\s+99%\\s+(\\S+)")), ms(latency.group(3)), Long.parseLong(errors));
        } catch (RuntimeException e) {
            throw new IllegalStateException("unexpected wrk output:\n" + out, e);
        }
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no " + regex + " in:\n" + text);
        }
        return m.group(1);
    }

    /** wrk prints 812.00us, 1.23ms or 2.01s. */
    private static double ms(String value) {
        double n = Double.parseDouble(value.replaceAll("[a-z]+$", ""));
        double factor = value.endsWith("us") ? 0.001 : value.endsWith("ms") ? 1 : value.endsWith("m") ? 60_000 : 1000;
        return Math.round(n * factor * 100) / 100.0;
    }

    private static long rssMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    private static long count(Connection db, String sql) throws Exception {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long timeMicros(Runnable work) {
        return timeMicros(50, work);
    }

    private static long timeMicros(int runs, Runnable work) {
        work.run(); // warm the page cache and the JIT once
        long[] took = new long[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            work.run();
            took[i] = (System.nanoTime() - start) / 1000;
        }
        Arrays.sort(took);
        return took[runs / 2];
    }

    private static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static String fmt(double v) {
        return String.format("%.0f", v);
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void waitForPort(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (java.net.Socket ignored = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("baseline did not start on port " + port);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
