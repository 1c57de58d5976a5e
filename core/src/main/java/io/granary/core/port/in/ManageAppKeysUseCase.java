package io.granary.core.port.in;

import io.granary.core.domain.AppKey;
import java.util.List;
import java.util.UUID;

/**
 * App keys at {@code /app-keys/{provider}/{appName}[/{clientEnvironment}]}. {@code provider} is a provider id
 * ({@code JohnDeere}, case-insensitive) or slug; a null environment means the provider's default.
 */
public interface ManageAppKeysUseCase {

    /** @param provider null for all providers */
    List<AppKey> list(UUID ownerId, String provider);

    /** @throws NotFoundException */
    AppKey get(UUID ownerId, String provider, String appName, String environment);

    /** @throws InvalidInputException, ConflictException if it exists */
    AppKey create(UUID ownerId, String provider, String appName, String environment, AppKeyCommand body);

    /** @throws InvalidInputException, NotFoundException */
    AppKey replace(UUID ownerId, String provider, String appName, String environment, AppKeyCommand body);

    /** @throws NotFoundException */
    void delete(UUID ownerId, String provider, String appName, String environment);
}
