package io.granary.core.port.in;

import io.granary.core.domain.Credential;
import io.granary.core.domain.CredentialEvent;
import io.granary.core.domain.Page;
import io.granary.core.domain.PageRequest;
import io.granary.spi.ProviderDescriptor;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Provider credentials of a Leaf user, addressed by the provider's endpoint suffix. */
public interface ManageCredentialsUseCase {

    /** The provider behind an endpoint suffix. @throws NotFoundException for an unknown suffix */
    ProviderDescriptor provider(String endpointSuffix);

    /**
     * Validates the command against the provider's fields and stores a new credential as PROCESSING.
     *
     * @throws InvalidInputException naming the field: missing, unknown, wrong type, too long, unsupported environment
     * @throws ConflictException if the user already has a credential for this provider
     * @throws NotFoundException for an unknown user or suffix
     */
    Credential attach(UUID ownerId, UUID userId, String endpointSuffix, AttachCredentialCommand body);

    /** The credential, with its access token refreshed first if it is about to expire. @throws NotFoundException */
    Credential get(UUID ownerId, UUID userId, String endpointSuffix);

    /**
     * The credential exactly as stored, if {@link #get} would answer it without refreshing it first; empty if
     * {@code get} would refresh it. Never calls a provider. @throws NotFoundException
     */
    Optional<Credential> getWithoutRefresh(UUID ownerId, UUID userId, String endpointSuffix);

    /**
     * From when {@link #get} would refresh this credential before answering, if nothing stored changes first; null
     * if it would not. Until then, and while nothing stored changes, {@code get} answers exactly this credential:
     * what a caller caching answers needs to know.
     */
    Instant refreshOnReadFrom(Credential credential);

    /** Refreshes now, whatever the expiry, and returns the result. @throws NotFoundException */
    Credential refreshNow(UUID ownerId, UUID userId, String endpointSuffix);

    /** Deletes the credential and its events. @throws NotFoundException */
    void detach(UUID ownerId, UUID userId, String endpointSuffix);

    /** @throws NotFoundException */
    Page<CredentialEvent> events(UUID ownerId, UUID userId, String endpointSuffix, PageRequest page);
}
