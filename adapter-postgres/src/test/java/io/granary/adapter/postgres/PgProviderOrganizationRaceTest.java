package io.granary.adapter.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.adapter.postgres.testing.TestPostgres;
import io.granary.core.domain.Credential;
import io.granary.core.domain.LeafUser;
import io.granary.spi.ProviderOrganization;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A refresh saving what it saw while another instance deletes the credential: on PostgreSQL the two overlap for
 * real (no single writer), and the refresh must neither fail on the foreign key nor leave rows behind.
 */
final class PgProviderOrganizationRaceTest {

    private TestPostgres.Database database;
    private PostgresStorage storage;

    @BeforeEach
    void open() {
        database = TestPostgres.newDatabase();
        storage = PgFixtures.open(database, "k1");
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void aRefreshWaitingOnAnUncommittedDelete_storesNothing_andDoesNotFail() throws Exception {
        LeafUser user = PgFixtures.insertUser(storage, PgFixtures.insertOwner(storage));
        Credential c = PgFixtures.insertCredential(storage, user, "JohnDeere", PgFixtures.at(60));
        try (Connection deleting = database.connect(); Connection watching = database.connect()) {
            deleting.setAutoCommit(false);
            try (PreparedStatement delete = deleting.prepareStatement("DELETE FROM credentials WHERE id = ?")) {
                delete.setObject(1, c.id());
                assertEquals(1, delete.executeUpdate());
            }
            CompletableFuture<Void> refresh = CompletableFuture.runAsync(() -> storage.providerOrganizations()
                    .saveSeen(c.id(), List.of(new ProviderOrganization("a", "Farm A", true, null)), PgFixtures.at(1)));
            awaitWaitingOnALock(watching);
            deleting.commit();
            refresh.get(10, TimeUnit.SECONDS); // throws if the refresh failed
        }
        assertEquals(List.of(), storage.providerOrganizations().list(c.id()));
        try (Connection raw = database.connect();
             ResultSet rs = raw.createStatement().executeQuery("SELECT count(*) FROM provider_organizations")) {
            assertTrue(rs.next());
            assertEquals(0, rs.getInt(1));
        }
    }

    /** Until the refresh is blocked behind the delete's row lock, so the commit surely comes while it waits. */
    private static void awaitWaitingOnALock(Connection watching) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (ResultSet rs = watching.createStatement().executeQuery("SELECT count(*) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND wait_event_type = 'Lock'")) {
                rs.next();
                if (rs.getInt(1) > 0) {
                    return;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the refresh never waited on the delete");
    }
}
