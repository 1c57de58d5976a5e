package io.granary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.granary.testkit.FakeTokenServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database failing under the running jar (issue 6): another process holding SQLite's write lock, and the data
 * directory's filesystem running full. Writes must answer a 503 problem within a bounded time, reads go on where
 * SQLite allows them, nothing half-written remains, and service resumes by itself when the cause goes.
 *
 * <p>Disk full needs a small filesystem: a tmpfs mounted here (root), else a file size limit put on the jar's
 * process with {@code prlimit} (writes past it fail with EFBIG; the JVM ignores SIGXFSZ). {@code -Ddbfaults.disk=prlimit}
 * forces the second.
 */
final class DatabaseFaultsIT {

    private static final String USERS = "/services/usermanagement/api/users";
    /** Database.BUSY_TIMEOUT_MILLIS (5 s) plus the writer pool's wait (10 s), with slack for a loaded machine. */
    private static final Duration WRITE_BOUND = Duration.ofSeconds(25);

    @TempDir
    Path dir;

    @Test
    void lockedByAnotherProcess_writesAnswer503_readsAreServed_andAllResumesAfter() throws Exception {
        try (FakeTokenServer fake = new FakeTokenServer(4)) {
            GranaryProcess granary = new GranaryProcess(dir.resolve("data"), dueDuringTheFault(fake)).start();
            try {
                Scene scene = Scene.populate(granary, fake);
                ApiClient api = scene.api();
                String ann = scene.ann();
                String bob = scene.bob();
                String cy = scene.cy();
                String annToken = scene.annToken();
                Path db = scene.db();

                Map<String, Timed> during;
                Instant released;
                try (WriteLock lock = WriteLock.take(db)) {
                    // Reads first, while Ann's access token is fresh: a read of an expiring one refreshes, i.e. writes.
                    assertEquals(200, api.get(USERS).status());
                    assertEquals(200, api.get(USERS + "/" + ann).status());
                    assertEquals(annToken, ok(api.get(FakeProviderSetup.credentialPath(ann)), 200).get("refreshToken").asText());
                    assertEquals(200, new ApiClient(granary.baseUrl()).get("/health/ready").status(), "WAL readers are not locked out");
                    login(granary); // login writes nothing

                    during = inParallel(Map.of(
                            "create user", () -> api.post(USERS, "{\"name\":\"Dee (during lock)\"}"),
                            "attach credential", () -> api.post(FakeProviderSetup.credentialPath(bob), FakeProviderSetup.credentialBody(fake.newGrant())),
                            "rename user", () -> api.patch(USERS + "/" + ann, "{\"name\":\"Ann renamed\"}"),
                            "delete user", () -> api.delete(USERS + "/" + cy)));
                    for (Map.Entry<String, Timed> write : during.entrySet()) {
                        assertStorageProblem(write.getKey(), write.getValue().answer(), granary);
                        assertTrue(write.getValue().elapsed().compareTo(WRITE_BOUND) < 0, write.getKey() + " took " + write.getValue().elapsed());
                    }
                    // The due refresh of Ann's credential could not claim it; let the scheduler fail at least once.
                    waitForLog(granary, "granary-refresh: database unavailable (SQLITE_BUSY)", Duration.ofSeconds(40));
                    assertEquals(200, api.get(USERS).status(), "reads still served after the writes gave up");
                    // Long-lived tokens from here: the refresh after the lock is the last one, and stays comparable.
                    fake.expiresIn(Duration.ofHours(1));
                    released = Instant.now();
                }

                // Nothing of the refused writes happened...
                List<String> names = names(api);
                assertFalse(names.contains("Dee (during lock)"), names.toString());
                assertTrue(names.contains("Ann") && names.contains("Cy"), names.toString());
                assertEquals(404, api.get(FakeProviderSetup.credentialPath(bob)).status());
                // ...and they succeed now, without a restart.
                ok(api.post(USERS, "{\"name\":\"Dee (after lock)\"}"), 201);
                ok(api.post(FakeProviderSetup.credentialPath(bob), FakeProviderSetup.credentialBody(fake.newGrant())), 201);
                ok(api.patch(USERS + "/" + ann, "{\"name\":\"Ann renamed\"}"), 200);
                assertEquals(204, api.delete(USERS + "/" + cy).status());
                assertEquals(List.of("Ann renamed", "Bob", "Dee (after lock)"), names(api).stream().sorted().toList());

                // The scheduler survived: Ann's credential refreshes after the lock, with the provider's current token.
                JsonNode refreshed = waitForCredential(api, ann, c -> "VALID".equals(c.get("status").asText())
                        && Instant.parse(c.get("accessTokenExpiresAt").asText()).isAfter(released.plus(Duration.ofMinutes(30))));
                assertEquals(fake.currentRefreshToken(annToken), refreshed.get("refreshToken").asText());
                waitForCredential(api, bob, c -> "VALID".equals(c.get("status").asText()));
                assertEquals(0, fake.rejectedTokenRequests());

                assertConsistent(db, 3, 2);

                // The lock arrives while the provider answers a refresh, retiring the token it was shown at once.
                fake.grace(Duration.ZERO);
                fake.latency(Duration.ofSeconds(1));
                String presented = refreshed.get("refreshToken").asText();
                int requests = fake.tokenRequests();
                ExecutorService client = Executors.newSingleThreadExecutor();
                Timed forced;
                try {
                    Future<Timed> refresh = client.submit(() -> timed(() -> api.post(FakeProviderSetup.credentialPath(ann) + "/refresh", null)));
                    MetricsIT.waitFor(fake::tokenRequests, n -> n > requests);
                    try (WriteLock lock = WriteLock.take(db)) {
                        Thread.sleep(6_500); // the provider answers at 1 s; recording the call waits out busy_timeout, then storing waits
                    }
                    forced = refresh.get(60, TimeUnit.SECONDS);
                } finally {
                    client.shutdownNow();
                }
                fake.latency(Duration.ZERO);
                JsonNode afterRotation = ok(forced.answer(), 200);
                assertEquals("VALID", afterRotation.get("status").asText());
                assertEquals(fake.currentRefreshToken(presented), afterRotation.get("refreshToken").asText(), "the rotated token was lost");
                assertEquals(fake.currentRefreshToken(presented), credential(api, ann).get("refreshToken").asText());
                assertEquals(0, fake.rejectedTokenRequests());

                assertConsistent(db, 3, 2);
                assertQuietLog(granary, "SQLITE_BUSY");
                System.out.printf(Locale.ROOT, "database-faults lock: writes answered 503 after %s ms; reads 200 throughout;"
                                + " refresh with the lock taken mid-rotation answered %d after %d ms%n",
                        during.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().elapsed().toMillis()).sorted().toList(),
                        forced.answer().status(), forced.elapsed().toMillis());
            } finally {
                granary.stop();
                keepLog(granary, "lock");
            }
        }
    }

    @Test
    void diskFull_writesAnswer503_readsAreServed_andWritesResumeWhenSpaceReturns() throws Exception {
        try (FakeTokenServer fake = new FakeTokenServer(4); Disk disk = Disk.small(dir.resolve("disk"))) {
            // The data directory is the mount point itself, so the process log (its sibling) stays off the full disk.
            GranaryProcess granary = new GranaryProcess(disk.path(), dueDuringTheFault(fake)).start();
            try {
                Scene scene = Scene.populate(granary, fake);
                ApiClient api = scene.api();
                String ann = scene.ann();
                String bob = scene.bob();
                String cy = scene.cy();
                String annToken = scene.annToken();
                Path db = scene.db();

                // Without a reader holding a snapshot, the background checkpoint lets SQLite start its WAL over and
                // write into space it already holds: on a full disk some writes, the scheduled refresh among them,
                // would then succeed by chance. A long-running reader (a backup, a report) makes the fault certain.
                Connection snapshotHolder = DriverManager.getConnection("jdbc:sqlite:" + db);
                long filled = disk.fill(granary.pid());
                long full = System.nanoTime();
                snapshotHolder.setAutoCommit(false);
                try (Statement read = snapshotHolder.createStatement(); ResultSet users = read.executeQuery("SELECT count(*) FROM leaf_users")) {
                    assertTrue(users.next());
                }
                // Reads first, while Ann's access token is fresh: a read of an expiring one refreshes, i.e. writes.
                assertEquals(annToken, ok(api.get(FakeProviderSetup.credentialPath(ann)), 200).get("refreshToken").asText());
                // SQLite may still fit a write into WAL space it already holds: a write answers 503 or succeeds, never
                // anything else, and whatever succeeded must be there afterwards.
                List<String> created = new ArrayList<>();
                Timed refused = null;
                for (int i = 0; i < 50 && refused == null; i++) {
                    String name = "Dee " + i;
                    Timed t = timed(() -> api.post(USERS, "{\"name\":\"" + name + "\"}"));
                    if (t.answer().status() == 201) {
                        created.add(name);
                    } else {
                        refused = t;
                    }
                }
                assertNotNull(refused, "50 user creations fitted on a full disk");
                assertStorageProblem("create user", refused.answer(), granary);
                Map<String, Timed> during = inParallel(Map.of(
                        "attach credential", () -> api.post(FakeProviderSetup.credentialPath(bob), FakeProviderSetup.credentialBody(fake.newGrant())),
                        "rename user", () -> api.patch(USERS + "/" + ann, "{\"name\":\"Ann renamed\"}"),
                        "delete user", () -> api.delete(USERS + "/" + cy)));
                for (Map.Entry<String, Timed> write : during.entrySet()) {
                    int status = write.getValue().answer().status();
                    if (status == 503) {
                        assertStorageProblem(write.getKey(), write.getValue().answer(), granary);
                    } else {
                        assertTrue(status == 200 || status == 201 || status == 204, write.getKey() + ": " + status);
                    }
                }
                assertEquals(200, api.get(USERS).status());
                assertEquals(200, new ApiClient(granary.baseUrl()).get("/health/ready").status());
                login(granary);
                // Ann's refresh falls due while the disk is full: it must fail without ending the scheduler.
                waitForLog(granary, "granary-refresh: database unavailable", Duration.ofSeconds(30));
                Thread.sleep(2_000); // a few scheduler turns, to see whether it retries in a tight loop
                assertTrue(granary.isAlive(), "granary died on a full disk");
                String logDuringFull = granary.log();

                // Long-lived tokens from here: the refresh after the fault is the last, so the restart reads its token back.
                fake.expiresIn(Duration.ofHours(1));
                snapshotHolder.rollback();
                snapshotHolder.close();
                disk.free(granary.pid());
                Instant freed = Instant.now();
                long fullMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - full);
                // One line per poll (1 s) at most, not one per attempt in a tight loop.
                int schedulerLines = count(logDuringFull, "granary-refresh: ");
                assertTrue(schedulerLines <= 3 + fullMillis / 1000, schedulerLines + " scheduler lines in " + fullMillis + " ms");
                Map<String, Integer> expected = new LinkedHashMap<>();
                expected.put("create user", 201);
                expected.put("attach credential", during.get("attach credential").answer().status() == 201 ? 409 : 201);
                expected.put("rename user", 200);
                expected.put("delete user", during.get("delete user").answer().status() == 204 ? 404 : 204);
                assertEquals(expected.get("create user"), api.post(USERS, "{\"name\":\"Eve (after)\"}").status());
                assertEquals(expected.get("attach credential"),
                        api.post(FakeProviderSetup.credentialPath(bob), FakeProviderSetup.credentialBody(fake.newGrant())).status());
                assertEquals(expected.get("rename user"), api.patch(USERS + "/" + ann, "{\"name\":\"Ann renamed\"}").status());
                assertEquals(expected.get("delete user"), api.delete(USERS + "/" + cy).status());
                created.add("Eve (after)");
                JsonNode refreshed = waitForCredential(api, ann, c -> "VALID".equals(c.get("status").asText())
                        && Instant.parse(c.get("accessTokenExpiresAt").asText()).isAfter(freed.plus(Duration.ofMinutes(30))));
                String annCurrent = refreshed.get("refreshToken").asText();
                assertEquals(fake.currentRefreshToken(annToken), annCurrent);
                waitForCredential(api, bob, c -> "VALID".equals(c.get("status").asText()));
                assertConsistent(db, 2 + created.size(), 2);

                // Restart once: what was written before, during and after the full disk is read back.
                granary.stop();
                assertTrue(granary.log().contains("Granary stopped cleanly"), "unclean stop after the full disk");
                granary.start();
                ApiClient again = login(granary);
                List<String> names = names(again);
                for (String name : created) {
                    assertTrue(names.contains(name), name + " missing after restart: " + names);
                }
                assertTrue(names.contains("Ann renamed") && names.contains("Bob") && !names.contains("Cy"), names.toString());
                assertEquals(annCurrent, ok(again.get(FakeProviderSetup.credentialPath(ann)), 200).get("refreshToken").asText());
                assertEquals(0, fake.rejectedTokenRequests());
                assertQuietLog(granary, "SQLITE_");
                System.out.printf(Locale.ROOT, "database-faults disk (%s): filler %d bytes; %d writes fitted before the first 503"
                                + " (after %d ms); others %s; full for %d ms; scheduler WARN lines while full: %d%n",
                        disk.kind(), filled, created.size() - 1, refused.elapsed().toMillis(),
                        during.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().answer().status() + "/" + e.getValue().elapsed().toMillis() + "ms").sorted().toList(),
                        fullMillis, schedulerLines);
            } finally {
                granary.kill();
                keepLog(granary, "disk");
            }
        }
    }

    // --- faults ---

    /** Another process's connection to the same file holding {@code BEGIN EXCLUSIVE} (in WAL mode: the write lock). */
    private static final class WriteLock implements AutoCloseable {
        private final Connection connection;

        private WriteLock(Connection connection) {
            this.connection = connection;
        }

        static WriteLock take(Path db) throws Exception {
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = 15000"); // the jar may be mid-write
                s.execute("BEGIN EXCLUSIVE");
            }
            return new WriteLock(c);
        }

        @Override
        public void close() throws Exception {
            try (connection; Statement s = connection.createStatement()) {
                s.execute("ROLLBACK");
            }
        }
    }

    /** A place for the data directory that can be made to refuse growth, and given its space back. */
    private interface Disk extends AutoCloseable {
        Path path();

        String kind();

        /** @return bytes taken by the filler, if any */
        long fill(long pid) throws Exception;

        void free(long pid) throws Exception;

        static Disk small(Path path) throws Exception {
            String wanted = System.getProperty("dbfaults.disk", "auto");
            Files.createDirectories(path);
            if (!wanted.equals("prlimit")) {
                Disk tmpfs = Tmpfs.mount(path);
                if (tmpfs != null) {
                    return tmpfs;
                }
            }
            Disk limit = FileSizeLimit.available(path);
            Assumptions.assumeTrue(limit != null, "cannot make a disk full here: `mount -t tmpfs` failed (not root?) and `prlimit` is missing");
            return limit;
        }
    }

    /** A 16 MiB tmpfs, filled with a file until the kernel answers ENOSPC. */
    private record Tmpfs(Path path) implements Disk {
        static Tmpfs mount(Path path) throws Exception {
            Sh result = Sh.run("mount", "-t", "tmpfs", "-o", "size=16m,mode=0700", "tmpfs", path.toString());
            if (result.exit() != 0) {
                System.out.println("database-faults: tmpfs mount failed (" + result.output().strip() + "); falling back to prlimit");
                return null;
            }
            return new Tmpfs(path);
        }

        public String kind() {
            return "tmpfs ENOSPC";
        }

        public long fill(long pid) throws IOException {
            long written = 0;
            ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
            try (FileChannel out = FileChannel.open(path.resolve("filler"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                for (int size : new int[] {64 * 1024, 4096, 512}) {
                    try {
                        while (true) {
                            chunk.clear().limit(size);
                            written += out.write(chunk);
                        }
                    } catch (IOException full) {
                        // ENOSPC: try the next, smaller size to take the last pages too
                    }
                }
            }
            return written;
        }

        public void free(long pid) throws IOException {
            Files.delete(path.resolve("filler"));
        }

        @Override
        public void close() throws Exception {
            if (Sh.run("umount", path.toString()).exit() != 0) {
                Sh.run("umount", "-l", path.toString());
            }
        }
    }

    /** RLIMIT_FSIZE on the jar's process at the WAL's current size: appending to the WAL fails with EFBIG. */
    private record FileSizeLimit(Path path) implements Disk {
        static FileSizeLimit available(Path path) throws Exception {
            return Sh.run("prlimit", "--version").exit() == 0 ? new FileSizeLimit(path) : null;
        }

        public String kind() {
            return "prlimit EFBIG";
        }

        public long fill(long pid) throws Exception {
            long limit = Math.max(Files.size(path.resolve("granary.db-wal")), Files.size(path.resolve("granary.db")));
            Sh set = Sh.run("prlimit", "--pid", Long.toString(pid), "--fsize=" + limit + ":");
            assertEquals(0, set.exit(), set.output());
            return 0;
        }

        public void free(long pid) throws Exception {
            Sh set = Sh.run("prlimit", "--pid", Long.toString(pid), "--fsize=unlimited:");
            assertEquals(0, set.exit(), set.output());
        }

        @Override
        public void close() {
        }
    }

    private record Sh(int exit, String output) {
        static Sh run(String... command) throws Exception {
            Process p;
            try {
                p = new ProcessBuilder(command).redirectErrorStream(true).start();
            } catch (IOException missing) {
                return new Sh(127, String.valueOf(missing.getMessage()));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Sh(124, out);
            }
            return new Sh(p.exitValue(), out);
        }
    }

    // --- checks ---

    /** 503, problem+json, Retry-After, and nothing in it that names SQL, a file, or a secret. */
    private static void assertStorageProblem(String what, ApiClient.Answer answer, GranaryProcess granary) {
        assertEquals(503, answer.status(), what + ": " + answer.body());
        assertEquals("application/problem+json", answer.header("Content-Type"), what);
        String retryAfter = answer.header("Retry-After");
        assertNotNull(retryAfter, what + ": no Retry-After");
        assertTrue(Integer.parseInt(retryAfter) > 0, what + ": Retry-After " + retryAfter);
        JsonNode body = answer.json();
        assertEquals(503, body.get("status").asInt(), what);
        assertEquals("storage is unavailable; try again shortly", body.get("detail").asText(), what);
        String lower = answer.body().toLowerCase(Locale.ROOT);
        for (String leak : List.of("sql", "granary.db", granary.dataDir().toString().toLowerCase(Locale.ROOT), "exception",
                FakeTokenServer.CLIENT_SECRET, "rt-")) {
            assertFalse(lower.contains(leak), what + " answer mentions '" + leak + "': " + answer.body());
        }
    }

    /** {@code PRAGMA integrity_check} and foreign keys from a separate connection; the jar may keep running. */
    private static void assertConsistent(Path db, int users, int credentials) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 10000");
            assertEquals("ok", one(s, "PRAGMA integrity_check"));
            try (ResultSet rs = s.executeQuery("PRAGMA foreign_key_check")) {
                assertFalse(rs.next(), "foreign key violations");
            }
            assertEquals(String.valueOf(users), one(s, "SELECT count(*) FROM leaf_users"));
            assertEquals(String.valueOf(credentials), one(s, "SELECT count(*) FROM credentials"));
            // Every credential keeps its three sealed fields: no write left one half stored.
            assertEquals("0", one(s, "SELECT count(*) FROM credentials c WHERE (SELECT count(*) FROM credential_fields f"
                    + " WHERE f.credential_id = c.id AND f.name IN ('clientId', 'clientSecret', 'refreshToken')) <> 3"));
        }
    }

    /** At most one line per failure and no stack traces: the log of a fault must stay readable. */
    private static void assertQuietLog(GranaryProcess granary, String reason) throws IOException {
        String log = granary.log();
        assertFalse(log.contains("\tat "), "stack trace in the log:\n" + log);
        assertFalse(log.contains(" ERROR "), "ERROR in the log:\n" + log);
        assertTrue(log.contains(reason), "the log does not name the cause " + reason + ":\n" + log);
    }

    /** The process log outlives the temporary directory, for reading after a failure (CI keeps target/). */
    private static void keepLog(GranaryProcess granary, String name) throws IOException {
        Files.writeString(Path.of("target", "database-faults-" + name + ".log"), granary.log());
    }

    private static String one(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getString(1);
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    // --- API helpers ---

    private record Timed(ApiClient.Answer answer, Duration elapsed) {
    }

    private static Timed timed(Callable<ApiClient.Answer> call) throws Exception {
        long start = System.nanoTime();
        ApiClient.Answer answer = call.call();
        return new Timed(answer, Duration.ofNanos(System.nanoTime() - start));
    }

    private static Map<String, Timed> inParallel(Map<String, Callable<ApiClient.Answer>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            Map<String, Future<Timed>> running = new LinkedHashMap<>();
            calls.forEach((name, call) -> running.put(name, pool.submit(() -> timed(call))));
            Map<String, Timed> done = new LinkedHashMap<>();
            for (Map.Entry<String, Future<Timed>> e : running.entrySet()) {
                done.put(e.getKey(), e.getValue().get(60, TimeUnit.SECONDS));
            }
            return done;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Settings under which Ann's credential, validated first, falls due ~4 s later: while the fault lasts. */
    private static Map<String, String> dueDuringTheFault(FakeTokenServer fake) {
        fake.expiresIn(Duration.ofSeconds(8));
        Map<String, String> env = new HashMap<>(FakeProviderSetup.settings(fake));
        env.put("GRANARY_REFRESH_MARGIN", "4s");
        env.put("GRANARY_SCHEDULER_POLL", "1s");
        return env;
    }

    /** Three users, Ann with a validated credential: what both faults are tried on. */
    private record Scene(ApiClient api, String ann, String bob, String cy, String annToken, Path db) {
        static Scene populate(GranaryProcess granary, FakeTokenServer fake) throws Exception {
            ApiClient api = login(granary);
            String ann = createUser(api, "Ann");
            String bob = createUser(api, "Bob");
            String cy = createUser(api, "Cy");
            attachAndValidate(api, fake, ann);
            return new Scene(api, ann, bob, cy, credential(api, ann).get("refreshToken").asText(),
                    granary.dataDir().resolve(Application.DATABASE_FILE));
        }
    }

    private static ApiClient login(GranaryProcess granary) throws Exception {
        return new ApiClient(granary.baseUrl()).login(GranaryProcess.ADMIN_EMAIL, GranaryProcess.ADMIN_PASSWORD);
    }

    private static String createUser(ApiClient api, String name) throws Exception {
        return ok(api.post(USERS, "{\"name\":\"" + name + "\"}"), 201).get("id").asText();
    }

    private static void attachAndValidate(ApiClient api, FakeTokenServer fake, String userId) throws Exception {
        ok(api.post(FakeProviderSetup.credentialPath(userId), FakeProviderSetup.credentialBody(fake.newGrant())), 201);
        waitForCredential(api, userId, c -> "VALID".equals(c.get("status").asText()));
    }

    private static JsonNode credential(ApiClient api, String userId) throws Exception {
        return ok(api.get(FakeProviderSetup.credentialPath(userId)), 200);
    }

    private static JsonNode waitForCredential(ApiClient api, String userId, java.util.function.Predicate<JsonNode> done) throws Exception {
        return MetricsIT.waitFor(() -> credential(api, userId), done);
    }

    private static List<String> names(ApiClient api) throws Exception {
        List<String> names = new ArrayList<>();
        ok(api.get(USERS + "?size=100"), 200).forEach(u -> names.add(u.get("name").asText()));
        return names;
    }

    private static JsonNode ok(ApiClient.Answer answer, int status) {
        if (answer.status() != status) {
            fail("expected HTTP " + status + ", got " + answer.status() + ": " + answer.body());
        }
        return answer.json();
    }

    private static void waitForLog(GranaryProcess granary, String text, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (!granary.log().contains(text)) {
            if (System.nanoTime() > deadline) {
                fail("no '" + text + "' in the log within " + within + ":\n" + granary.log());
            }
            Thread.sleep(200);
        }
    }
}
