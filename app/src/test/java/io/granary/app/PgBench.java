package io.granary.app;

import io.granary.adapter.postgres.testing.TestPostgres;
import io.granary.testkit.FakeTokenServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
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
import java.util.concurrent.TimeUnit;

/**
 * The PostgreSQL benchmarks behind bench/postgres.sh (not a test). A real PostgreSQL (GRANARY_TEST_POSTGRES_URL, else
 * embedded 16.4), real granary.jar processes, an in-process {@link FakeTokenServer}. Prints its numbers last.
 *
 * <p>{@code storm}: N credentials due at once, on 1 and on 3 instances sharing the database, the total refresh
 * concurrency the same. Seeded on SQLite with the existing seeder, then copied by {@code migrate --to}.
 * {@code scale}: a million credentials, the due lookup's latency and the start-up time.
 */
final class PgBench {

    private final Map<String, String> results = new LinkedHashMap<>();
    private final Path work;

    private PgBench(Path work) {
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("granary-pgbench-");
        PgBench bench = new PgBench(work);
        switch (args[0]) {
            case "storm" -> bench.storm();
            case "scale" -> bench.scale();
            case "api" -> bench.api();
            default -> throw new IllegalArgumentException("storm | scale | api");
        }
        System.out.println();
        System.out.println("== results (postgres " + args[0] + ") ==");
        bench.results.forEach((k, v) -> System.out.println(k + ": " + v));
        System.exit(0);
    }

    private void storm() throws Exception {
        int n = Integer.getInteger("bench.n", 10_000);
        int latency = Integer.getInteger("bench.latencyMs", 50);
        int concurrency = Integer.getInteger("bench.concurrency", 64);
        try (FakeTokenServer fake = new FakeTokenServer(concurrency * 2)) {
            for (int instances : new int[] {1, 3}) {
                TestPostgres.Database db = TestPostgres.newDatabase();
                Map<String, String> env = seededDatabase(fake, n, db, "storm" + instances);
                env.put("GRANARY_REFRESH_CONCURRENCY", String.valueOf(concurrency / instances));
                env.put("GRANARY_SCHEDULER_POLL", "1s");
                env.put("GRANARY_DATABASE_POOL_SIZE", "20");
                int requestsBefore = fake.tokenRequests();
                fake.latency(Duration.ofMillis(latency));
                List<GranaryProcess> running = new ArrayList<>();
                long launched = System.nanoTime();
                try (Connection c = db.connect()) {
                    for (int i = 0; i < instances; i++) {
                        Map<String, String> own = new HashMap<>(env);
                        own.put("GRANARY_INSTANCE_ID", "bench-" + i);
                        running.add(new GranaryProcess(work.resolve("i" + instances + "-" + i), own).start());
                    }
                    long deadline = launched + TimeUnit.MINUTES.toNanos(10);
                    while (count(c, "SELECT count(*) FROM credentials WHERE status = 'VALID'") < n && System.nanoTime() < deadline) {
                        Thread.sleep(50);
                    }
                    double wall = (System.nanoTime() - launched) / 1e9;
                    Thread.sleep(2_000); // a second request for one credential would show up now
                    double ideal = n * (2.0 * latency) / concurrency / 1000.0;
                    String label = instances + " instance" + (instances == 1 ? "" : "s") + ": ";
                    results.put(label + "wall time from launch", String.format("%.1f s (ideal %.1f s: N x 2 calls x %d ms / %d)", wall, ideal, latency, concurrency));
                    results.put(label + "wall / ideal", String.format("%.2f", wall / ideal));
                    results.put(label + "token requests", (fake.tokenRequests() - requestsBefore) + " (must be " + n + ")");
                    results.put(label + "credentials VALID", count(c, "SELECT count(*) FROM credentials WHERE status = 'VALID'") + " (must be " + n + ")");
                } finally {
                    for (GranaryProcess p : running) {
                        p.stop();
                    }
                }
                fake.latency(Duration.ZERO);
            }
        }
    }

    /**
     * A data directory started once on SQLite (owner, generated key), seeded with {@code n} due credentials, and copied
     * into {@code db} by {@code migrate --to}; returns the settings of an instance on {@code db} with that key.
     */
    private Map<String, String> seededDatabase(FakeTokenServer fake, int n, TestPostgres.Database db, String name) throws Exception {
        Path data = work.resolve(name + "-sqlite");
        Map<String, String> sqliteEnv = new HashMap<>(FakeProviderSetup.settings(fake));
        new GranaryProcess(data, sqliteEnv).start().stop();
        Instant now = Instant.now();
        String[] tokens = new String[n];
        for (int i = 0; i < n; i++) {
            tokens[i] = fake.newGrant();
        }
        long seedStart = System.nanoTime();
        Seeder.seed(data, n, i -> tokens[i], i -> now, "PROCESSING", null);
        Map<String, String> env = new HashMap<>(sqliteEnv);
        env.putAll(PostgresCluster.settingsFor(db));
        env.remove("GRANARY_MASTER_KEY"); // migrate reads the data directory's generated key
        env.remove("GRANARY_DATABASE_URL"); // the source is the SQLite file
        GranaryProcess.CommandResult migrated = new GranaryProcess(data, env).run(Map.of(), "migrate", "--to", db.url());
        if (migrated.exitCode() != 0) {
            throw new IllegalStateException("migrate failed:\n" + migrated.output());
        }
        results.put(name + ": seeded and migrated", n + " credentials in " + (System.nanoTime() - seedStart) / 1_000_000 + " ms");
        env.putAll(PostgresCluster.settingsFor(db));
        env.put("GRANARY_MASTER_KEY", Files.readString(data.resolve(MasterKeys.GENERATED_FILE)).strip());
        return env;
    }

    private void scale() throws Exception {
        int n = Integer.getInteger("bench.n", 1_000_000);
        try (FakeTokenServer fake = new FakeTokenServer(8)) {
            TestPostgres.Database db = TestPostgres.newDatabase();
            Map<String, String> env = seededDatabase(fake, 10, db, "scale");
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                long seedStart = System.nanoTime();
                long now = Seeder.micros(Instant.now());
                // Spread over the next day, as a steady population would be; none due during the run.
                s.execute("INSERT INTO leaf_users (id, owner_id, name, created_at, updated_at)"
                        + " SELECT md5('u' || g)::uuid, (SELECT id FROM api_owners LIMIT 1), 'grower ' || g, " + now + ", " + now
                        + " FROM generate_series(1, " + n + ") g");
                s.execute("INSERT INTO credentials (id, owner_id, leaf_user_id, provider_id, environment, status, created_at,"
                        + " updated_at, scopes, next_refresh_at, failure_count, version)"
                        + " SELECT md5('c' || g)::uuid, (SELECT id FROM api_owners LIMIT 1), md5('u' || g)::uuid, 'Trimble', 'PRODUCTION',"
                        + " 'VALID', " + now + ", " + now + ", '', " + now + " + 3600000000 + (g::bigint * 7919 % 82800) * 1000000, 0, 1"
                        + " FROM generate_series(1, " + n + ") g");
                s.execute("VACUUM ANALYZE credentials");
                results.put("seeded", n + " credentials in " + (System.nanoTime() - seedStart) / 1_000_000 + " ms (generate_series)");
                results.put("findDue (nothing due), median / p99 of 200", timed(c, "SELECT id FROM credentials"
                        + " WHERE next_refresh_at <= ? AND (lease_until IS NULL OR lease_until <= ?) ORDER BY next_refresh_at LIMIT 64", now, true));
                results.put("findDue (64 of many due), median / p99 of 200", timed(c, "SELECT id FROM credentials"
                        + " WHERE next_refresh_at <= ? AND (lease_until IS NULL OR lease_until <= ?) ORDER BY next_refresh_at LIMIT 64",
                        now + 86_400_000_000L, true));
                results.put("earliestDue, median / p99 of 200", timed(c, "SELECT least("
                        + " (SELECT next_refresh_at FROM credentials WHERE next_refresh_at IS NOT NULL AND lease_until IS NULL"
                        + "  ORDER BY next_refresh_at LIMIT 1),"
                        + " (SELECT min(greatest(next_refresh_at, lease_until)) FROM credentials"
                        + "  WHERE lease_owner IS NOT NULL AND next_refresh_at IS NOT NULL))", now, false));
            }
            env.put("GRANARY_INSTANCE_ID", "scale");
            long launched = System.nanoTime();
            GranaryProcess granary = new GranaryProcess(work.resolve("scale-pg"), env).start();
            results.put("start-up with " + n + " credentials (launch to serving)", (System.nanoTime() - launched) / 1_000_000 + " ms");
            granary.stop();
        }
    }

    /**
     * API reads spread over 2,000 credentials in random order (a wrk Lua script), against the bare-Undertow baseline
     * (bench/BareUndertow.java, fixed JSON on the IO thread, sent the same script) in the same run, one round each after
     * a warm-up; two instances on the one database, with the answer cache on and off.
     */
    private void api() throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 15);
        int credentials = 2_000;
        try (FakeTokenServer fake = new FakeTokenServer(8)) {
            TestPostgres.Database db = TestPostgres.newDatabase();
            Map<String, String> env = new HashMap<>(FakeProviderSetup.endpoints(fake));
            env.putAll(PostgresCluster.settingsFor(db));
            env.put("GRANARY_INSTANCE_ID", "api");
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < credentials; i++) {
                tokens.add(fake.newGrant());
            }
            int port = freePort();
            Process baseline = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), System.getProperty("bench.baseline", "bench/BareUndertow.java"),
                    String.valueOf(port), "io").redirectErrorStream(true).redirectOutput(work.resolve("baseline.log").toFile()).start();
            Map<String, String> uncachedEnv = new HashMap<>(env);
            uncachedEnv.put("GRANARY_INSTANCE_ID", "api-uncached");
            uncachedEnv.put("GRANARY_ANSWER_CACHE_MB", "0");
            // Two instances on the one database: the answer cache on (the default) and off.
            try (GranaryProcess granary = new GranaryProcess(work.resolve("api"), env).start();
                 GranaryProcess uncached = new GranaryProcess(work.resolve("api-uncached"), uncachedEnv).start()) {
                List<String> users = PgSeeder.seed(db, tokens, Instant.now().plus(Duration.ofHours(1)));
                String token = new ApiClient(granary.baseUrl()).login(GranaryProcess.ADMIN_EMAIL, GranaryProcess.ADMIN_PASSWORD).token();
                StringBuilder lua = new StringBuilder("paths = {");
                for (String user : users) {
                    lua.append('"').append(FakeProviderSetup.credentialPath(user)).append("\",");
                }
                lua.append("}\nrequest = function()\n  return wrk.format(\"GET\", paths[math.random(#paths)])\nend\n");
                Path script = work.resolve("random.lua");
                Files.writeString(script, lua.toString());
                Thread.sleep(1_000);
                // The baseline is sent the same script and header; each side is warmed as bench/api-throughput.sh does.
                int warmup = Integer.getInteger("bench.warmup", 60);
                String base = "http://127.0.0.1:" + port + "/";
                wrk(base, token, script, warmup);
                wrk(granary.baseUrl() + "/", token, script, warmup);
                wrk(uncached.baseUrl() + "/", token, script, warmup);
                String[] bare = wrk(base, token, script, seconds);
                String[] pg = wrk(granary.baseUrl() + "/", token, script, seconds);
                String[] pgUncached = wrk(uncached.baseUrl() + "/", token, script, seconds);
                results.put("bare Undertow: requests/s, p50, p99", String.join(", ", bare));
                results.put("Granary on PostgreSQL, 2,000 credentials in random order: requests/s, p50, p99", String.join(", ", pg));
                results.put("Granary / bare", String.format("%.3f", Double.parseDouble(pg[0]) / Double.parseDouble(bare[0])));
                results.put("Granary on PostgreSQL, answer cache off: requests/s, p50, p99", String.join(", ", pgUncached));
                results.put("Granary, answer cache off / bare", String.format("%.3f", Double.parseDouble(pgUncached[0]) / Double.parseDouble(bare[0])));
            } finally {
                baseline.destroy();
            }
        }
    }

    /** wrk -t2 -c64 with --latency; returns requests/s, p50, p99 as printed. */
    private String[] wrk(String url, String token, Path script, int seconds) throws Exception {
        List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c64", "-d" + seconds + "s", "--latency"));
        if (token != null) {
            command.addAll(List.of("-H", "Authorization: Bearer " + token));
        }
        if (script != null) {
            command.addAll(List.of("-s", script.toString()));
        }
        command.add(url);
        Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(wrk.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        wrk.waitFor();
        Files.writeString(work.resolve("wrk.log"), out + "\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        if (out.contains("Non-2xx")) {
            throw new IllegalStateException("errors in the run:\n" + out);
        }
        java.util.regex.Matcher rps = java.util.regex.Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
        java.util.regex.Matcher p50 = java.util.regex.Pattern.compile("(?m)^\\s+50%\\s+(\\S+)").matcher(out);
        java.util.regex.Matcher p99 = java.util.regex.Pattern.compile("(?m)^\\s+99%\\s+(\\S+)").matcher(out);
        if (!rps.find() || !p50.find() || !p99.find()) {
            throw new IllegalStateException("unexpected wrk output:\n" + out);
        }
        return new String[] {rps.group(1), p50.group(1), p99.group(1)};
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Median and p99 of 200 runs (after 20 warm-up runs) of a query, binding {@code at} to its parameters. */
    private static String timed(Connection c, String sql, long at, boolean twoParameters) throws Exception {
        long[] nanos = new long[200];
        try (PreparedStatement q = c.prepareStatement(sql)) {
            if (twoParameters) {
                q.setLong(1, at);
                q.setLong(2, at);
            }
            for (int i = -20; i < nanos.length; i++) {
                long start = System.nanoTime();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        rs.getObject(1);
                    }
                }
                if (i >= 0) {
                    nanos[i] = System.nanoTime() - start;
                }
            }
        }
        Arrays.sort(nanos);
        return String.format("%.2f ms / %.2f ms", nanos[100] / 1e6, nanos[197] / 1e6);
    }

    private static long count(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
