package io.granary.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 4, point 1: secrets at rest open only with the right master key, and rotate-key really re-encrypts. */
final class MasterKeyIT {

    private static final String USERS = "/services/usermanagement/api/users";
    private static final String SUFFIX = "trimble-credentials";

    @TempDir
    Path dir;

    @Test
    void start_whenKeyIsMissingOrWrong_refusesWithClearMessage_andLeavesTheDatabaseAlone() throws Exception {
        String key = newKey();
        Path data = dir.resolve("data");
        try (EchoProvider echo = new EchoProvider()) {
            Map<String, String> env = with(echo.settings(), "GRANARY_MASTER_KEY", key);
            try (GranaryProcess granary = new GranaryProcess(data, env).start()) {
                attachTrimble(granary, "client-secret-value-1234");
            }
            byte[] before = databaseBytes(data);

            GranaryProcess.CommandResult noKey = new GranaryProcess(data, echo.settings()).run(Map.of());
            assertNotEquals(0, noKey.exitCode(), noKey.output());
            assertTrue(noKey.output().contains("holds encrypted secrets but no master key is configured"), noKey.output());
            assertFalse(Files.exists(data.resolve(MasterKeys.GENERATED_FILE)), "must not generate a key over existing secrets");

            GranaryProcess.CommandResult wrongKey = new GranaryProcess(data, with(echo.settings(), "GRANARY_MASTER_KEY", newKey())).run(Map.of());
            assertNotEquals(0, wrongKey.exitCode(), wrongKey.output());
            assertTrue(wrongKey.output().contains("the master key does not open the secrets"), wrongKey.output());
            assertFalse(wrongKey.output().contains("client-secret-value"), wrongKey.output());

            assertArrayEquals(before, databaseBytes(data), "a refused start must not change the database");
            try (GranaryProcess again = new GranaryProcess(data, env).start()) {
                assertEquals(200, login(again).get(USERS).status(), "the right key still opens it");
            }
        }
    }

    @Test
    void generatedKey_isPrivate_warned_andRotateKeyReencryptsEveryValue() throws Exception {
        Path data = dir.resolve("data");
        try (EchoProvider echo = new EchoProvider()) {
            Map<String, String> env = with(echo.settings(), "GRANARY_REVEAL_SECRETS", "true");
            String userId;
            try (GranaryProcess granary = new GranaryProcess(data, env).start()) {
                userId = attachTrimble(granary, "client-secret-value-5678");
                assertTrue(granary.log().contains("generated a master key at"), "the operator is warned about the generated key");
            }
            Path keyFile = data.resolve(MasterKeys.GENERATED_FILE);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
            String oldId = keyId(Files.readString(keyFile).trim());
            assertTrue(databaseText(data).contains("g1:" + oldId + ":"), "values are sealed under the generated key");

            GranaryProcess.CommandResult rotated = new GranaryProcess(data, env).run(Map.of(), "rotate-key");
            assertEquals(0, rotated.exitCode(), rotated.output());

            List<String> keys = Files.readAllLines(keyFile).stream().filter(l -> !l.isBlank()).toList();
            assertEquals(1, keys.size(), "the old key is dropped once everything is resealed");
            String newId = keyId(keys.get(0));
            assertNotEquals(oldId, newId);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
            String text = databaseText(data);
            assertFalse(text.contains("g1:" + oldId + ":"), "ciphertext under the old key is left in the database files");
            assertTrue(text.contains("g1:" + newId + ":"));

            try (GranaryProcess restarted = new GranaryProcess(data, env).start()) {
                JsonNode credential = login(restarted).get(USERS + "/" + userId + "/" + SUFFIX).json();
                assertEquals("client-secret-value-5678", credential.get("clientSecret").asText());
                assertEquals("client-id", credential.get("clientId").asText());
            }
        }
    }

    @Test
    void rotateKey_withEnvironmentKeys_reencryptsUnderTheNewKey_andTheOldOneNoLongerOpens() throws Exception {
        Path data = dir.resolve("data");
        String oldKey = newKey();
        String newKey = newKey();
        try (EchoProvider echo = new EchoProvider()) {
            Map<String, String> oldEnv = with(with(echo.settings(), "GRANARY_MASTER_KEY", oldKey), "GRANARY_REVEAL_SECRETS", "true");
            String userId;
            try (GranaryProcess granary = new GranaryProcess(data, oldEnv).start()) {
                userId = attachTrimble(granary, "client-secret-value-9012");
            }

            GranaryProcess.CommandResult onlyOne = new GranaryProcess(data, oldEnv).run(Map.of(), "rotate-key");
            assertNotEquals(0, onlyOne.exitCode(), "rotating to the same single key must be refused: " + onlyOne.output());

            Map<String, String> rotateEnv = with(with(oldEnv, "GRANARY_MASTER_KEY", newKey), "GRANARY_PREVIOUS_MASTER_KEYS", oldKey);
            GranaryProcess.CommandResult rotated = new GranaryProcess(data, rotateEnv).run(Map.of(), "rotate-key");
            assertEquals(0, rotated.exitCode(), rotated.output());
            assertTrue(rotated.output().contains("you may now remove GRANARY_PREVIOUS_MASTER_KEYS"), rotated.output());
            assertFalse(rotated.output().contains(oldKey) || rotated.output().contains(newKey), "keys must not be logged");
            assertFalse(databaseText(data).contains("g1:" + keyId(oldKey) + ":"));

            Map<String, String> newEnv = with(oldEnv, "GRANARY_MASTER_KEY", newKey);
            try (GranaryProcess restarted = new GranaryProcess(data, newEnv).start()) {
                JsonNode credential = login(restarted).get(USERS + "/" + userId + "/" + SUFFIX).json();
                assertEquals("client-secret-value-9012", credential.get("clientSecret").asText());
            }
            GranaryProcess.CommandResult stale = new GranaryProcess(data, oldEnv).run(Map.of());
            assertNotEquals(0, stale.exitCode(), stale.output());
            assertTrue(stale.output().contains("the master key does not open the secrets"), stale.output());
        }
    }

    private static String attachTrimble(GranaryProcess granary, String clientSecret) throws Exception {
        ApiClient api = login(granary);
        String userId = api.post(USERS, "{\"name\":\"Grower\"}").json().get("id").asText();
        ApiClient.Answer attached = api.post(USERS + "/" + userId + "/" + SUFFIX,
                "{\"clientId\":\"client-id\",\"clientSecret\":\"" + clientSecret + "\",\"refreshToken\":\"refresh-token-value-1234\"}");
        assertEquals(201, attached.status(), attached.body());
        return userId;
    }

    private static ApiClient login(GranaryProcess granary) throws Exception {
        return new ApiClient(granary.baseUrl()).login(GranaryProcess.ADMIN_EMAIL, GranaryProcess.ADMIN_PASSWORD);
    }

    private static Map<String, String> with(Map<String, String> base, String name, String value) {
        Map<String, String> copy = new HashMap<>(base);
        copy.put(name, value);
        return copy;
    }

    private static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** As MasterKeys.keyId: the first 8 bytes of the key's SHA-256, in hex. */
    private static String keyId(String base64Key) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(base64Key));
        return HexFormat.of().formatHex(digest, 0, 8);
    }

    private static byte[] databaseBytes(Path data) throws Exception {
        return databaseText(data).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String databaseText(Path data) throws Exception {
        StringBuilder all = new StringBuilder();
        for (String name : List.of("granary.db", "granary.db-wal")) {
            Path file = data.resolve(name);
            if (Files.exists(file)) {
                all.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
        return all.toString();
    }
}
