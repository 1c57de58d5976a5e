package io.granary.adapter.sqlite;

import io.granary.core.crypto.AesGcmSealer;
import io.granary.core.domain.ApiOwner;
import io.granary.core.domain.Credential;
import io.granary.core.domain.CredentialStatus;
import io.granary.core.domain.LeafUser;
import io.granary.spi.Environment;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builders for test rows. Instants are whole microseconds, as the database keeps them. */
final class Fixtures {

    static final Instant T0 = Instant.parse("2025-03-01T10:00:00.123456Z");

    private Fixtures() {
    }

    static AesGcmSealer sealer(String keyId) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) keyId.hashCode());
        return new AesGcmSealer(keyId, Map.of(keyId, key));
    }

    static Instant at(long secondsAfterT0) {
        return T0.plusSeconds(secondsAfterT0).truncatedTo(ChronoUnit.MICROS);
    }

    static ApiOwner owner(String email) {
        return new ApiOwner(UUID.randomUUID(), email, "hash-of-" + email, false, T0);
    }

    static ApiOwner insertOwner(SqliteStorage storage) {
        ApiOwner owner = owner(UUID.randomUUID() + "@example.com");
        storage.owners().insert(owner);
        return owner;
    }

    static LeafUser user(ApiOwner owner, String name) {
        return new LeafUser(UUID.randomUUID(), owner.id(), name, name.toLowerCase() + "@farm.example", "555",
                "1 Field Rd", "ext-" + name, T0, T0);
    }

    static LeafUser insertUser(SqliteStorage storage, ApiOwner owner) {
        LeafUser user = user(owner, "Grower");
        storage.users().insert(user);
        return user;
    }

    static Credential credential(LeafUser user, String providerId, Map<String, String> fields, Instant nextRefreshAt) {
        return new Credential(UUID.randomUUID(), user.ownerId(), user.id(), providerId, Environment.PRODUCTION, fields,
                CredentialStatus.PROCESSING, null, T0, T0, at(3600), List.of("ag1", "eq1"), nextRefreshAt, 0, 1);
    }

    static Credential insertCredential(SqliteStorage storage, LeafUser user, String providerId, Instant nextRefreshAt) {
        Credential c = credential(user, providerId,
                Map.of("client_id", "cid-" + providerId, "refresh_token", "rt-" + UUID.randomUUID()), nextRefreshAt);
        storage.credentials().insert(c);
        return c;
    }

    static Connection raw(java.nio.file.Path file) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
    }

    static boolean contains(byte[] haystack, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i <= haystack.length - n.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (haystack[i + j] != n[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
