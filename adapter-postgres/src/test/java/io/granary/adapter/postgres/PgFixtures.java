package io.granary.adapter.postgres;

import io.granary.adapter.postgres.testing.TestPostgres;
import io.granary.core.crypto.AesGcmSealer;
import io.granary.core.domain.ApiOwner;
import io.granary.core.domain.Credential;
import io.granary.core.domain.CredentialStatus;
import io.granary.core.domain.LeafUser;
import io.granary.spi.Environment;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builders for test rows on a fresh database each. Instants are whole microseconds, as the database keeps them. */
final class PgFixtures {

    static final Instant T0 = Instant.parse("2025-03-01T10:00:00.123456Z");

    private PgFixtures() {
    }

    static AesGcmSealer sealer(String keyId) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) keyId.hashCode());
        return new AesGcmSealer(keyId, Map.of(keyId, key));
    }

    static PostgresStorage open(TestPostgres.Database db, String keyId) {
        return PostgresStorage.open(db.url(), db.user(), db.password(), sealer(keyId), 8);
    }

    static Instant at(long secondsAfterT0) {
        return T0.plusSeconds(secondsAfterT0).truncatedTo(ChronoUnit.MICROS);
    }

    static ApiOwner insertOwner(PostgresStorage storage) {
        ApiOwner owner = new ApiOwner(UUID.randomUUID(), UUID.randomUUID() + "@example.com", "hash", false, T0);
        storage.owners().insert(owner);
        return owner;
    }

    static LeafUser insertUser(PostgresStorage storage, ApiOwner owner) {
        LeafUser user = new LeafUser(UUID.randomUUID(), owner.id(), "Grower", "grower@farm.example", "555", "1 Field Rd",
                "ext-1", T0, T0);
        storage.users().insert(user);
        return user;
    }

    static Credential insertCredential(PostgresStorage storage, LeafUser user, String providerId, Instant nextRefreshAt) {
        Credential c = new Credential(UUID.randomUUID(), user.ownerId(), user.id(), providerId, Environment.PRODUCTION,
                Map.of("client_id", "cid-" + providerId, "refresh_token", "rt-" + UUID.randomUUID()),
                CredentialStatus.PROCESSING, null, T0, T0, at(3600), List.of("ag1", "eq1"), nextRefreshAt, 0, 1);
        storage.credentials().insert(c);
        return c;
    }
}
