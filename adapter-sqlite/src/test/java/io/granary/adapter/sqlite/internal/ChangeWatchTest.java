package io.granary.adapter.sqlite.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import io.granary.core.port.out.ChangeFeed;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ChangeWatchTest {

    @TempDir
    Path dir;

    private Path file;
    private Database db;
    /** Stands still unless a test moves it, so a stamp is reused only as long as the test says. */
    private final AtomicLong nanoTime = new AtomicLong();

    @BeforeEach
    void open() {
        file = dir.resolve("watch.db");
        db = Database.open(file, Database.WRITER_CHECKPOINT_PAGES, nanoTime::get);
        MigrationRunner.migrate(db); // the change log and its triggers
        db.write(h -> h.execute("CREATE TABLE t (k INTEGER PRIMARY KEY)"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void withoutCommits_theStampStaysTheSame() {
        long first = db.changeStamp();
        db.readOne(h -> h.createQuery("SELECT count(*) FROM t").mapTo(Integer.class).one());
        nanoTime.addAndGet(ChangeWatch.REUSE.toNanos()); // asked again, not reused
        assertEquals(first, db.changeStamp());
        nanoTime.addAndGet(ChangeWatch.REUSE.toNanos());
        assertEquals(first, db.changeStamp());
    }

    @Test
    void aCommitOfThisProcess_changesTheStamp() {
        long before = db.changeStamp();
        db.write(h -> h.execute("INSERT INTO t (k) VALUES (1)"));
        assertNotEquals(before, db.changeStamp());
    }

    @Test
    void aCommitOnAConnectionOutsideThePools_changesTheStampOnceTheLastAnswerIsOlderThanTheReuseTime() throws Exception {
        long before = db.changeStamp();
        // What another process (the owners command, a second instance) does: its own connection to the file.
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = other.createStatement()) {
            statement.execute("INSERT INTO t (k) VALUES (2)");
        }
        nanoTime.addAndGet(ChangeWatch.REUSE.toNanos() - 1);
        assertEquals(before, db.changeStamp(), "asked again within the reuse time");
        nanoTime.incrementAndGet();
        assertNotEquals(before, db.changeStamp());
    }

    @Test
    void aStampTakenOnAnotherThreadAfterACommit_differsFromOneTakenBefore() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            other.submit(db::changeStamp).get(); // that thread's connection is open before the commit
            long before = db.changeStamp();
            db.write(h -> h.execute("INSERT INTO t (k) VALUES (3)"));
            long afterOnTheOtherThread = other.submit(db::changeStamp).get();
            assertNotEquals(before, afterOnTheOtherThread);
            assertNotEquals(before, db.changeStamp());
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void askingHoldsNoReadSnapshot_soACheckpointCanCopyEverything() throws Exception {
        db.changeStamp();
        db.write(h -> h.execute("INSERT INTO t (k) VALUES (4)"));
        db.changeStamp();
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = other.createStatement();
             ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
            result.next();
            assertEquals(0, result.getInt(1), "the checkpoint was blocked by a reader");
        }
    }

    @Test
    void whenTheFileCannotBeAsked_everyStampIsNew() {
        db.close(); // closes the watch's connections; asking again fails
        long first = db.changeStamp();
        assertNotEquals(first, db.changeStamp());
    }

    // ---- which credentials and owners changed (issue 17) ----

    private static final String OWNER = "00000000-0000-4000-8000-00000000000a";
    private static final String USER_A = "00000000-0000-4000-8000-0000000000a1";
    private static final String USER_B = "00000000-0000-4000-8000-0000000000b1";
    private static final String A = "00000000-0000-4000-8000-00000000c0a1";
    private static final String B = "00000000-0000-4000-8000-00000000c0b1";

    /** What the listeners were told, in order: "credential X", "owner Y", "anything". */
    private final List<String> told = new CopyOnWriteArrayList<>();

    private void listenAndSeed() {
        db.changes().listen(new ChangeFeed.Listener() {
            @Override
            public void credentialChanged(UUID id) {
                told.add("credential " + id);
            }

            @Override
            public void ownerChanged(UUID id) {
                told.add("owner " + id);
            }

            @Override
            public void anythingMayHaveChanged() {
                told.add("anything");
            }
        });
        db.write(h -> {
            h.execute("INSERT INTO api_owners (id, email, password_hash, disabled, created_at) VALUES (?, 'o@farm.io', 'x', 0, 0)", OWNER);
            for (String[] userAndCredential : new String[][] {{USER_A, A}, {USER_B, B}}) {
                h.execute("INSERT INTO leaf_users (id, owner_id, name, created_at, updated_at) VALUES (?, ?, 'grower', 0, 0)",
                        userAndCredential[0], OWNER);
                h.execute("INSERT INTO credentials (id, owner_id, leaf_user_id, provider_id, environment, status, created_at,"
                        + " updated_at, scopes, failure_count, version) VALUES (?, ?, ?, 'Trimble', 'PRODUCTION', 'VALID', 0, 0, '', 0, 0)",
                        userAndCredential[1], OWNER, userAndCredential[0]);
            }
            return null;
        });
        db.changes().catchUp();
        told.clear(); // the first look says "anything"; inserts say nothing (nothing can be kept before they exist)
    }

    @Test
    void aWriteOfThisProcess_isToldAsItsCredentialOnly_atTheNextCatchUp() {
        listenAndSeed();
        db.write(h -> h.execute("UPDATE credentials SET status = 'INVALID', version = version + 1 WHERE id = ?", A));
        db.changes().catchUp(); // no time passed: this process's commits are never left to the reuse time
        assertEquals(List.of("credential " + A), told);
        db.changes().catchUp();
        assertEquals(List.of("credential " + A), told, "told once");
    }

    @Test
    void anotherProcessesWrites_areToldByCredentialAndOwner_afterTheReuseTime() throws Exception {
        listenAndSeed();
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = other.createStatement()) {
            statement.execute("PRAGMA foreign_keys = ON");
            statement.execute("UPDATE api_owners SET disabled = 1 WHERE id = '" + OWNER + "'"); // the owners command
            statement.execute("DELETE FROM leaf_users WHERE id = '" + USER_B + "'"); // its credential goes with it
        }
        nanoTime.addAndGet(ChangeWatch.REUSE.toNanos());
        db.changes().catchUp();
        assertEquals(List.of("owner " + OWNER, "credential " + B), told);
    }

    @Test
    void aProcessFallenFurtherBehindThanTheLogHolds_isToldAnythingMayHaveChanged() throws Exception {
        listenAndSeed();
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = other.createStatement()) {
            statement.execute("BEGIN");
            for (int i = 0; i < 10_001; i++) { // the log keeps the last 10,000 changes
                statement.execute("UPDATE credentials SET version = version + 1 WHERE id = '" + B + "'");
            }
            statement.execute("UPDATE credentials SET version = version + 1 WHERE id = '" + A + "'");
            statement.execute("COMMIT");
        }
        nanoTime.addAndGet(ChangeWatch.REUSE.toNanos());
        db.changes().catchUp();
        assertEquals("anything", told.get(0), "the gap is told first");
        assertEquals("credential " + A, told.get(told.size() - 1));
    }
}
