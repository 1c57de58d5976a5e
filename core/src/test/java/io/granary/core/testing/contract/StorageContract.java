package io.granary.core.testing.contract;

import io.granary.core.domain.ApiOwner;
import io.granary.core.domain.Credential;
import io.granary.core.domain.CredentialEvent;
import io.granary.core.domain.CredentialStatus;
import io.granary.core.domain.LeafUser;
import io.granary.core.port.out.Storage;
import io.granary.spi.Environment;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What every storage adapter must do, as JUnit 5 test interfaces: a storage adapter's test implements
 * {@link UserStoreContract}, {@link CredentialStoreContract}, {@link EventStoreContract},
 * {@link WebhookOutboxContract}, {@link AppKeyMagicLinkContract}, {@link ProviderOrganizationContract} and
 * {@link ConfigurationContract}, and hands each test a fresh, empty storage
 * from {@link #storage()} (opened in its own {@code @BeforeEach}, closed in its {@code @AfterEach}). Instants are
 * whole microseconds, the finest every database keeps.
 */
public interface StorageContract {

    Instant T0 = Instant.parse("2025-03-01T10:00:00.123456Z");

    /** A fresh, empty storage, the same instance for the whole test. */
    Storage storage();

    static Instant at(long secondsAfterT0) {
        return T0.plusSeconds(secondsAfterT0).truncatedTo(ChronoUnit.MICROS);
    }

    default ApiOwner newOwner() {
        ApiOwner owner = new ApiOwner(UUID.randomUUID(), UUID.randomUUID() + "@example.com", "hash", false, T0);
        storage().owners().insert(owner);
        return owner;
    }

    default LeafUser newUser(ApiOwner owner, String name, long createdSecondsAfterT0) {
        Instant created = at(createdSecondsAfterT0);
        LeafUser user = new LeafUser(UUID.randomUUID(), owner.id(), name, name.toLowerCase() + "@farm.example", "555",
                "1 Field Rd", "ext-" + name, created, created);
        storage().users().insert(user);
        return user;
    }

    default LeafUser newUser() {
        return newUser(newOwner(), "Grower", 0);
    }

    default Credential credential(LeafUser user, String providerId, Instant nextRefreshAt) {
        return new Credential(UUID.randomUUID(), user.ownerId(), user.id(), providerId, Environment.PRODUCTION,
                Map.of("clientId", "cid", "refreshToken", "rt-1"), CredentialStatus.VALID, null, T0, T0, at(3600),
                List.of("read"), nextRefreshAt, 0, 1);
    }

    default Credential newCredential(LeafUser user, String providerId, Instant nextRefreshAt) {
        Credential c = credential(user, providerId, nextRefreshAt);
        storage().credentials().insert(c);
        return c;
    }

    default CredentialEvent event(Credential c, Instant at) {
        return new CredentialEvent(UUID.randomUUID(), c.id(), at, "POST", "https://provider.example/token", 200, "{}",
                "{\"access_token\":\"[redacted]\"}", 12);
    }
}
