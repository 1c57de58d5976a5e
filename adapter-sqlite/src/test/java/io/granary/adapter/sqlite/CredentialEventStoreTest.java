package io.granary.adapter.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.domain.Credential;
import io.granary.core.domain.CredentialEvent;
import io.granary.core.domain.LeafUser;
import io.granary.core.domain.Page;
import io.granary.core.domain.PageRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class CredentialEventStoreTest {

    @TempDir
    Path dir;
    private SqliteStorage storage;
    private Credential cred;

    @BeforeEach
    void open() {
        storage = SqliteStorage.open(dir.resolve("g.db"), Fixtures.sealer("k1"));
        LeafUser user = Fixtures.insertUser(storage, Fixtures.insertOwner(storage));
        cred = Fixtures.insertCredential(storage, user, "Trimble", null);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void page_isNewestFirst_orAscendingWhenAsked_withTotal() {
        CredentialEvent e1 = event(1);
        CredentialEvent e2 = event(2);
        CredentialEvent e3 = event(3);
        storage.events().append(e2);
        storage.events().append(e1);
        storage.events().append(e3);

        Page<CredentialEvent> newest = storage.events().page(cred.id(), new PageRequest(0, 2, false));
        assertEquals(List.of(e3, e2), newest.items());
        assertEquals(3, newest.total());
        assertEquals(List.of(e1), storage.events().page(cred.id(), new PageRequest(1, 2, false)).items());
        assertEquals(List.of(e1, e2, e3), storage.events().page(cred.id(), new PageRequest(0, 10, true)).items());
        assertEquals(0, storage.events().page(UUID.randomUUID(), new PageRequest(0, 10, true)).total());
    }

    @Test
    void purgeOlderThan_deletesOnlyOlderEvents_acrossBatches() {
        int old = 2_500; // more than one purge batch
        storage.database().write(h -> {
            for (int i = 0; i < old; i++) {
                h.createUpdate("INSERT INTO credential_events (id, credential_id, created_at, method, url, status_code,"
                                + " headers, body, duration_ms) VALUES (:id, :c, :at, 'GET', 'u', 200, '', '', 1)")
                        .bind("id", UUID.randomUUID().toString()).bind("c", cred.id().toString())
                        .bind("at", 1_740_000_000_000_000L + i).execute();
            }
            return null;
        });
        CredentialEvent recent = event(100);
        storage.events().append(recent);

        assertEquals(old, storage.events().purgeOlderThan(Fixtures.at(0)));
        Page<CredentialEvent> left = storage.events().page(cred.id(), new PageRequest(0, 10, false));
        assertEquals(List.of(recent), left.items());
        assertTrue(storage.events().purgeOlderThan(Fixtures.at(0)) == 0);
    }

    private CredentialEvent event(long seconds) {
        return new CredentialEvent(UUID.randomUUID(), cred.id(), Fixtures.at(seconds), "POST",
                "https://api.example/oauth/token", 200, "{\"content-type\":\"application/json\"}",
                "{\"access_token\":\"[redacted]\"}", 42);
    }
}
