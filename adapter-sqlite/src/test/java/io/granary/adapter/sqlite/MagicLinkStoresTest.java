package io.granary.adapter.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.crypto.AesGcmSealer;
import io.granary.core.crypto.SealException;
import io.granary.core.domain.ApiOwner;
import io.granary.core.domain.AppKey;
import io.granary.core.domain.LeafUser;
import io.granary.core.domain.MagicLink;
import io.granary.core.domain.PendingAuthorization;
import io.granary.core.port.out.DuplicateException;
import io.granary.spi.Environment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class MagicLinkStoresTest {

    private static final String SECRET = "PLAINTEXT-APP-SECRET-quux";

    @TempDir
    Path dir;

    @Test
    void appKey_roundTripsSealed_isOwnerScoped_andNeverStoredInClear() throws Exception {
        Path file = dir.resolve("g.db");
        ApiOwner owner;
        try (SqliteStorage storage = SqliteStorage.open(file, Fixtures.sealer("k1"))) {
            owner = Fixtures.insertOwner(storage);
            AppKey key = appKey(owner, "farmapp");
            storage.appKeys().insert(key);
            assertThrows(DuplicateException.class, () -> storage.appKeys().insert(key));
            AppKey read = storage.appKeys().find(owner.id(), "JohnDeere", "farmapp", Environment.STAGE).orElseThrow();
            assertEquals(key.fields(), read.fields());
            assertEquals(List.of("FIELDS:READ"), read.scopes());
            assertTrue(storage.appKeys().find(Fixtures.insertOwner(storage).id(), "JohnDeere", "farmapp", Environment.STAGE).isEmpty());
            assertTrue(storage.holdsSecrets());
        }
        for (Path f : List.of(file, dir.resolve("g.db-wal"))) {
            if (Files.exists(f)) {
                assertFalse(Fixtures.contains(Files.readAllBytes(f), SECRET), "plaintext app secret in " + f);
            }
        }
        try (SqliteStorage wrongKey = SqliteStorage.open(file, Fixtures.sealer("k2"))) {
            assertThrows(SealException.class, wrongKey::verifySealer);
        }
    }

    @Test
    void appKeys_areResealedOnKeyRotation() {
        Path file = dir.resolve("r.db");
        AesGcmSealer both = new AesGcmSealer("k2", Map.of("k1", key((byte) 1), "k2", key((byte) 2)));
        ApiOwner owner;
        try (SqliteStorage storage = SqliteStorage.open(file, new AesGcmSealer("k1", Map.of("k1", key((byte) 1))))) {
            owner = Fixtures.insertOwner(storage);
            storage.appKeys().insert(appKey(owner, "farmapp"));
            assertEquals(1, storage.resealAll(both));
        }
        try (SqliteStorage storage = SqliteStorage.open(file, new AesGcmSealer("k2", Map.of("k2", key((byte) 2))))) {
            storage.verifySealer();
            assertEquals(SECRET, storage.appKeys().list(owner.id()).get(0).fields().get("clientSecret"));
        }
    }

    @Test
    void pendingAuthorization_isTakenOnce_andDiesWithItsLinkAndUser() {
        try (SqliteStorage storage = SqliteStorage.open(dir.resolve("p.db"), Fixtures.sealer("k1"))) {
            ApiOwner owner = Fixtures.insertOwner(storage);
            LeafUser user = Fixtures.insertUser(storage, owner);
            MagicLink link = new MagicLink(UUID.randomUUID(), owner.id(), user.id(), List.of("JohnDeere", "Trimble"),
                    new MagicLink.Settings("#1f6f43", null, "https://cdn.example/logo.png", "FarmApp", true, true),
                    Fixtures.at(0), Fixtures.at(900), null, null, 0);
            storage.magicLinks().insert(link);
            storage.magicLinks().recordAccess(link.id(), Fixtures.at(5));
            MagicLink read = storage.magicLinks().find(owner.id(), link.id()).orElseThrow();
            assertEquals(1, read.usageCount());
            assertEquals(Fixtures.at(5), read.lastAccessedAt());
            assertEquals(link.settings(), read.settings());
            assertEquals(link.allowedProviders(), read.allowedProviders());

            storage.magicLinks().savePending(new PendingAuthorization("h1", link.id(), "JohnDeere", "b1", Fixtures.at(600)), Fixtures.at(1));
            assertTrue(storage.magicLinks().takePending("h1").isPresent());
            assertTrue(storage.magicLinks().takePending("h1").isEmpty(), "a state is honoured once");

            storage.magicLinks().savePending(new PendingAuthorization("h2", link.id(), "JohnDeere", "b1", Fixtures.at(600)), Fixtures.at(1));
            assertTrue(storage.users().delete(owner.id(), user.id()));
            assertTrue(storage.magicLinks().findById(link.id()).isEmpty(), "the user's links go with the user");
            assertTrue(storage.magicLinks().takePending("h2").isEmpty(), "and their consents in progress");
        }
    }

    private static AppKey appKey(ApiOwner owner, String name) {
        return new AppKey(owner.id(), "JohnDeere", name, Environment.STAGE,
                Map.of("clientKey", "jd-client", "clientSecret", SECRET), List.of("FIELDS:READ"), Fixtures.at(0), Fixtures.at(0));
    }

    private static byte[] key(byte fill) {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, fill);
        return key;
    }
}
