package io.granary.adapter.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.crypto.AesGcmSealer;
import io.granary.core.crypto.SealException;
import io.granary.core.domain.Credential;
import io.granary.core.domain.LeafUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class SecretsAtRestTest {

    @TempDir
    Path dir;

    @Test
    void databaseFiles_neverContainPlaintextSecrets() throws IOException {
        Path file = dir.resolve("g.db");
        List<String> secrets = new ArrayList<>();
        try (SqliteStorage storage = SqliteStorage.open(file, Fixtures.sealer("k1"))) {
            LeafUser user = Fixtures.insertUser(storage, Fixtures.insertOwner(storage));
            for (int i = 0; i < 20; i++) {
                String refresh = "PLAINTEXT-REFRESH-" + i + "-xyzzy";
                String secret = "PLAINTEXT-CLIENT-SECRET-" + i + "-plugh";
                secrets.add(refresh);
                secrets.add(secret);
                Credential c = Fixtures.credential(user, "P" + i, Map.of("refresh_token", refresh, "client_secret", secret),
                        Fixtures.at(0));
                storage.credentials().insert(c);
                Credential claimed = storage.credentials().claim(c.id(), "n", Fixtures.at(1), Fixtures.at(9)).orElseThrow();
                String rotated = "PLAINTEXT-ROTATED-" + i + "-frotz";
                secrets.add(rotated);
                storage.credentials().saveTokens(c.id(), claimed.version(), Map.of("refresh_token", rotated),
                        Fixtures.at(3600), null, Fixtures.at(2));
            }
            // While open, most of the data still sits in the WAL file: read both.
            assertNoneIn(secrets, file);
            assertTrue(Files.size(walOf(file)) > 0, "expected the writes in the WAL");
        }
        assertNoneIn(secrets, file);
    }

    @Test
    void ciphertextMovedToAnotherRowOrField_failsToOpen() throws SQLException {
        Path file = dir.resolve("g.db");
        try (SqliteStorage storage = SqliteStorage.open(file, Fixtures.sealer("k1"))) {
            LeafUser user = Fixtures.insertUser(storage, Fixtures.insertOwner(storage));
            Credential victim = Fixtures.insertCredential(storage, user, "A", null);
            Credential attacker = Fixtures.insertCredential(storage, user, "B", null);
            Credential sameRow = Fixtures.insertCredential(storage, user, "C", null);

            execute(file, "UPDATE credential_fields SET sealed = (SELECT sealed FROM credential_fields"
                    + " WHERE credential_id = '" + victim.id() + "' AND name = 'refresh_token')"
                    + " WHERE credential_id = '" + attacker.id() + "' AND name = 'refresh_token'");
            execute(file, "UPDATE credential_fields SET sealed = (SELECT sealed FROM credential_fields"
                    + " WHERE credential_id = '" + sameRow.id() + "' AND name = 'refresh_token')"
                    + " WHERE credential_id = '" + sameRow.id() + "' AND name = 'client_id'");

            assertThrows(SealException.class, () -> storage.credentials().findById(attacker.id()));
            assertThrows(SealException.class, () -> storage.credentials().findById(sameRow.id()));
            assertEquals(victim, storage.credentials().findById(victim.id()).orElseThrow());
        }
    }

    @Test
    void resealAll_movesEveryValueToTheNewKey_andOldCiphertextsAreGone() throws Exception {
        Path file = dir.resolve("g.db");
        AesGcmSealer oldKey = Fixtures.sealer("k1");
        AesGcmSealer newKey = Fixtures.sealer("k2");
        List<Credential> creds = new ArrayList<>();
        List<String> oldCiphertexts;
        try (SqliteStorage storage = SqliteStorage.open(file, oldKey)) {
            LeafUser user = Fixtures.insertUser(storage, Fixtures.insertOwner(storage));
            for (int i = 0; i < 250; i++) { // more than one reseal batch
                creds.add(Fixtures.insertCredential(storage, user, "P" + i, null));
            }
            oldCiphertexts = sealedValues(file);

            assertEquals(500, storage.resealAll(newKey));
            assertEquals(0, storage.resealAll(newKey), "a second run finds nothing left to do");
        }
        List<String> now = sealedValues(file);
        assertTrue(now.stream().allMatch(v -> v.startsWith("g1:k2:")), "all under the new key");
        assertTrue(now.stream().noneMatch(oldCiphertexts::contains));
        assertNoneIn(oldCiphertexts.subList(0, 20), file);

        try (SqliteStorage reopened = SqliteStorage.open(file, newKey)) {
            reopened.verifySealer();
            for (Credential c : creds.subList(0, 10)) {
                assertEquals(c, reopened.credentials().findById(c.id()).orElseThrow());
            }
        }
        try (SqliteStorage stale = SqliteStorage.open(file, oldKey)) {
            assertThrows(SealException.class, stale::verifySealer);
        }
    }

    @Test
    void resealAll_withOneSealerHoldingBothKeys_works() {
        Path file = dir.resolve("g.db");
        byte[] k1 = new byte[32];
        byte[] k2 = new byte[32];
        k2[0] = 1;
        Credential c;
        try (SqliteStorage storage = SqliteStorage.open(file, new AesGcmSealer("k1", Map.of("k1", k1)))) {
            c = Fixtures.insertCredential(storage, Fixtures.insertUser(storage, Fixtures.insertOwner(storage)), "A", null);
        }
        AesGcmSealer both = new AesGcmSealer("k2", new HashMap<>(Map.of("k1", k1, "k2", k2)));
        try (SqliteStorage storage = SqliteStorage.open(file, both)) {
            assertEquals(2, storage.resealAll(both));
        }
        try (SqliteStorage storage = SqliteStorage.open(file, new AesGcmSealer("k2", Map.of("k2", k2)))) {
            assertEquals(c, storage.credentials().findById(c.id()).orElseThrow());
        }
    }

    @Test
    void holdsSecretsAndVerifySealer_refuseAWrongKey() {
        Path file = dir.resolve("g.db");
        try (SqliteStorage storage = SqliteStorage.open(file, Fixtures.sealer("k1"))) {
            assertFalse(storage.holdsSecrets());
            storage.verifySealer(); // nothing stored: nothing to refuse
            Fixtures.insertCredential(storage, Fixtures.insertUser(storage, Fixtures.insertOwner(storage)), "A", null);
            assertTrue(storage.holdsSecrets());
            storage.verifySealer();
        }
        byte[] otherBytes = new byte[32];
        otherBytes[5] = 9;
        try (SqliteStorage wrong = SqliteStorage.open(file, new AesGcmSealer("k1", Map.of("k1", otherBytes)))) {
            SealException e = assertThrows(SealException.class, wrong::verifySealer);
            assertTrue(e.getMessage().contains("cannot open the secrets"), e.getMessage());
        }
        try (SqliteStorage missing = SqliteStorage.open(file, Fixtures.sealer("k9"))) {
            assertThrows(SealException.class, missing::verifySealer);
        }
    }

    private static void assertNoneIn(List<String> values, Path file) throws IOException {
        for (Path p : List.of(file, walOf(file))) {
            if (Files.exists(p)) {
                byte[] bytes = Files.readAllBytes(p);
                for (String v : values) {
                    assertFalse(Fixtures.contains(bytes, v), "found a stored value in " + p.getFileName());
                }
            }
        }
    }

    private static Path walOf(Path file) {
        return file.resolveSibling(file.getFileName() + "-wal");
    }

    private static List<String> sealedValues(Path file) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = Fixtures.raw(file); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT sealed FROM credential_fields ORDER BY rowid")) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static void execute(Path file, String sql) throws SQLException {
        try (Connection c = Fixtures.raw(file); Statement st = c.createStatement()) {
            assertEquals(1, st.executeUpdate(sql));
        }
    }
}
