package io.granary.core.port.out;

import io.granary.core.domain.AppKey;
import io.granary.spi.Environment;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** App keys of API owners, fields sealed at rest. Every lookup is scoped to an owner. */
public interface AppKeyStore {

    /** @throws DuplicateException if the owner already has this provider/appName/environment */
    void insert(AppKey key);

    /** Replaces fields, scopes and updatedAt. @return false if there is no such key */
    boolean replace(AppKey key);

    Optional<AppKey> find(UUID ownerId, String providerId, String appName, Environment environment);

    /** Oldest first. */
    List<AppKey> list(UUID ownerId);

    boolean delete(UUID ownerId, String providerId, String appName, Environment environment);
}
