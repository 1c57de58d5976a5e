package io.granary.adapter.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.granary.adapter.postgres.testing.TestPostgres;
import io.granary.core.domain.Credential;
import io.granary.core.domain.LeafUser;
import io.granary.core.port.out.StorageUnavailableException;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Connections cut by the server ({@code pg_terminate_backend}) every few milliseconds while tokens are saved: every
 * failure must reach the caller as {@link StorageUnavailableException}, the one the refresher retries a save on, and a
 * retried save must succeed, also when the cut hid that the first one committed. Any other exception would make the
 * refresher drop the rotated token.
 */
final class PgConnectionCutTest {

    @Test
    void saveTokens_underConnectionCuts_failsOnlyAsUnavailable_andEveryRetryLands() throws Exception {
        TestPostgres.Database db = TestPostgres.newDatabase();
        Map<String, Integer> failures = new TreeMap<>();
        try (PostgresStorage storage = PgFixtures.open(db, "k1"); Connection admin = db.connect(); Statement s = admin.createStatement()) {
            LeafUser user = PgFixtures.insertUser(storage, PgFixtures.insertOwner(storage));
            Credential c = PgFixtures.insertCredential(storage, user, "P", PgFixtures.at(0));
            AtomicBoolean cutting = new AtomicBoolean(true);
            Thread cutter = new Thread(() -> {
                while (cutting.get()) {
                    try {
                        s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                                + " WHERE application_name = 'granary' AND pid <> pg_backend_pid()");
                        Thread.sleep(3);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            cutter.start();
            long version = c.version();
            String last = null;
            try {
                for (int i = 0; i < 400; i++) {
                    last = "rt-" + i;
                    while (true) {
                        try {
                            version = storage.credentials().saveTokens(c.id(), version, Map.of("refresh_token", last),
                                    PgFixtures.at(10), null, PgFixtures.at(1));
                            break;
                        } catch (StorageUnavailableException e) {
                            failures.merge("unavailable", 1, Integer::sum);
                        } catch (RuntimeException e) {
                            failures.merge(e.getClass().getName(), 1, Integer::sum);
                        }
                    }
                }
            } finally {
                cutting.set(false);
                cutter.join();
            }
            System.out.println("connection cuts while saving: " + failures);
            assertEquals(Map.of(), withoutUnavailable(failures), "failures other than StorageUnavailableException");
            Credential stored = null;
            for (int attempt = 0; stored == null; attempt++) {
                try {
                    stored = storage.credentials().findById(c.id()).orElseThrow();
                } catch (StorageUnavailableException e) {
                    if (attempt == 10) {
                        throw e; // pooled connections cut by the last rounds are dropped one per failure
                    }
                }
            }
            assertEquals(last, stored.fields().get("refresh_token"));
            assertEquals(version, stored.version());
        }
    }

    private static Map<String, Integer> withoutUnavailable(Map<String, Integer> failures) {
        Map<String, Integer> other = new TreeMap<>(failures);
        other.remove("unavailable");
        return other;
    }
}
