package io.granary.adapter.sqlite.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.port.out.DuplicateException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class CachedStatementsTest {

    private static final String SELECT = "SELECT v FROM t WHERE k = :k";
    private static final String INSERT = "INSERT INTO t (k, v) VALUES (:k, :v)";

    @TempDir
    Path dir;

    private Database db;

    @BeforeEach
    void open() {
        db = Database.open(dir.resolve("cache.db"));
        db.write(h -> h.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT NOT NULL)"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private Optional<String> value(String key) {
        return db.readOne(h -> h.createQuery(SELECT).bind("k", key).mapTo(String.class).findOne());
    }

    private void insert(String key, String value) {
        db.write("duplicate", h -> h.createUpdate(INSERT).bind("k", key).bind("v", value).execute());
    }

    @Test
    void aStatementRunManyTimes_isCompiledOncePerConnection_andEachRunSeesItsOwnValues() {
        long before = db.statementsPrepared();
        for (int i = 0; i < 50; i++) {
            insert("k" + i, "v" + i);
        }
        for (int i = 0; i < 50; i++) {
            assertEquals(Optional.of("v" + i), value("k" + i));
        }
        assertEquals(Optional.empty(), value("missing"));
        long compiled = db.statementsPrepared() - before;
        // One INSERT on the writer, one SELECT per reader connection at most.
        assertTrue(compiled >= 2 && compiled <= 1 + Database.READERS, compiled + " statements compiled for 101 runs");
    }

    @Test
    void aStatementThatFailed_runsAgainWithNewValues() {
        insert("a", "1");
        assertThrows(DuplicateException.class, () -> insert("a", "2"));
        insert("b", "3");
        assertEquals(Optional.of("1"), value("a"));
        assertEquals(Optional.of("3"), value("b"));
    }

    @Test
    void theSameSqlRunWhileItsFirstRunIsStillBeingRead_getsItsOwnStatement() {
        insert("a", "b");
        insert("b", "c");
        String chained = db.readOne(h -> h.createQuery(SELECT).bind("k", "a").map((rs, ctx) ->
                h.createQuery(SELECT).bind("k", rs.getString("v")).mapTo(String.class).one()).one());
        assertEquals("c", chained);
        assertEquals(Optional.of("b"), value("a")); // and the cached one still works afterwards
    }

    @Test
    void aResultLeftHalfRead_doesNotPinAnOldSnapshot() {
        for (int i = 0; i < 10; i++) {
            insert("row" + i, "old");
        }
        // findFirst stops after one of ten rows: the statement goes back to the cache mid-result.
        for (int i = 0; i < 20; i++) {
            db.readOne(h -> h.createQuery("SELECT v FROM t ORDER BY k").mapTo(String.class).findFirst());
        }
        db.write(h -> h.execute("UPDATE t SET v = 'new'"));
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            seen.add(db.readOne(h -> h.createQuery("SELECT v FROM t ORDER BY k").mapTo(String.class).findFirst()).orElseThrow());
        }
        assertTrue(seen.stream().allMatch("new"::equals), "a reader connection still saw the old rows: " + seen);
    }
}
