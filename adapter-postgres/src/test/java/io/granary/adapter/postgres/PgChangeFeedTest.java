package io.granary.adapter.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.adapter.postgres.testing.TestPostgres;
import io.granary.core.domain.ApiOwner;
import io.granary.core.domain.Credential;
import io.granary.core.domain.LeafUser;
import io.granary.core.port.out.ChangeFeed;
import io.granary.core.testing.contract.ChangeFeedContract;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * What the PostgreSQL feed adds to the contract ({@link ChangeFeedContract}, run by {@link PostgresStorageContractTest}):
 * its listening connection cut by the server, and refresh leases left out of what is told.
 */
final class PgChangeFeedTest {

    private static final String LISTENER = "SELECT pid FROM pg_stat_activity"
            + " WHERE application_name = 'granary-changes' AND datname = current_database()";

    @Test
    void aCutListeningConnection_makesEveryCatchUpSayAnything_untilItListensAgain_thenChangesAreToldByIdAgain() throws Exception {
        TestPostgres.Database db = TestPostgres.newDatabase();
        try (PostgresStorage storage = PgFixtures.open(db, "k1"); PostgresStorage other = PgFixtures.open(db, "k1");
             Connection admin = db.connect(); Statement sql = admin.createStatement()) {
            ApiOwner owner = PgFixtures.insertOwner(storage);
            ChangeFeed feed = storage.changes().orElseThrow();
            ChangeFeedContract.Told told = listen(feed);
            int cut = pid(sql);

            sql.execute("SELECT pg_terminate_backend(" + cut + ")");
            other.owners().setDisabled(owner.id(), true); // committed while nobody may be listening
            await("told anything after the cut", () -> {
                feed.catchUp();
                return told.told.contains("anything");
            });
            await("listening again on a new connection, and trusted", () -> {
                told.told.clear();
                feed.catchUp();
                return told.told.isEmpty() && pidOrZero(sql) != 0 && pidOrZero(sql) != cut;
            });
            other.owners().setDisabled(owner.id(), false);
            await("an owner's change told by id again", () -> {
                feed.catchUp();
                return told.told.contains("owner " + owner.id());
            });
            assertFalse(told.told.contains("anything"), told.told.toString());
        }
    }

    @Test
    void aLeaseTakenAlone_isNotTold_whileTheRefreshsSaveIs() throws Exception {
        TestPostgres.Database db = TestPostgres.newDatabase();
        try (PostgresStorage storage = PgFixtures.open(db, "k1"); PostgresStorage other = PgFixtures.open(db, "k1")) {
            ApiOwner owner = PgFixtures.insertOwner(storage);
            LeafUser user = PgFixtures.insertUser(storage, owner);
            Credential c = PgFixtures.insertCredential(storage, user, "P", PgFixtures.at(0));
            ChangeFeed feed = storage.changes().orElseThrow();
            ChangeFeedContract.Told told = listen(feed);

            Credential claimed = other.credentials().claim(c.id(), "other", PgFixtures.at(1), PgFixtures.at(100)).orElseThrow();
            other.owners().setDisabled(owner.id(), true); // notifications arrive in commit order: the claim's would be first
            await("the owner's change told", () -> {
                feed.catchUp();
                return told.told.contains("owner " + owner.id());
            });
            assertFalse(told.told.contains("credential " + c.id()), "a lease is not a change: " + told.told);
            assertEquals(1, storage.credentials().releaseLeases("other"));
            feed.catchUp();
            assertFalse(told.told.contains("credential " + c.id()), "nor is its release: " + told.told);

            long saved = storage.credentials().saveTokens(c.id(), claimed.version(), Map.of("refresh_token", "rt-2"),
                    PgFixtures.at(3600), null, PgFixtures.at(2), List.of());
            feed.catchUp();
            assertTrue(told.told.contains("credential " + c.id()), told.told.toString());
            told.told.clear();
            // Only a field differs from the save before (same time, same expiry): the row's version alone moved.
            storage.credentials().saveTokens(c.id(), saved, Map.of("refresh_token", "rt-3"), PgFixtures.at(3600), null,
                    PgFixtures.at(2), List.of());
            feed.catchUp();
            assertTrue(told.told.contains("credential " + c.id()), "a save that changed the fields alone: " + told.told);
        }
    }

    private static ChangeFeedContract.Told listen(ChangeFeed feed) {
        ChangeFeedContract.Told told = new ChangeFeedContract.Told();
        feed.listen(told);
        feed.catchUp();
        told.told.clear();
        return told;
    }

    private static int pid(Statement sql) throws Exception {
        int pid = pidOrZero(sql);
        assertTrue(pid != 0, "no listening connection");
        return pid;
    }

    private static int pidOrZero(Statement sql) {
        try (ResultSet rows = sql.executeQuery(LISTENER)) {
            return rows.next() ? rows.getInt(1) : 0;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls until {@code done}, for at most 20 s (the feed reconnects after a one-second pause). */
    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not " + what + " within 20 s");
            }
            Thread.sleep(20);
        }
    }
}
