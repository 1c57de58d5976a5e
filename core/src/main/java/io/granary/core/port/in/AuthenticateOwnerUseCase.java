package io.granary.core.port.in;

import io.granary.core.domain.ApiOwner;
import java.util.Optional;
import java.util.UUID;

/** Logging in of API owners. */
public interface AuthenticateOwnerUseCase {

    /** The owner if the password matches and the owner is enabled; empty otherwise (no hint which). */
    Optional<ApiOwner> authenticate(String email, String password);

    /** The owner behind a token's subject, if it still exists and is enabled. */
    Optional<ApiOwner> activeOwner(UUID ownerId);
}
