package io.granary.core.port.in;

import java.util.List;
import java.util.UUID;

/**
 * The provider organizations a user's credential sees, as its latest refresh stored them, and the owner's choice of
 * which to process (Leaf's John Deere organization selection). Served from storage; only {@link #sync} calls the
 * provider. An unknown provider, user or credential, or another owner's, is not found.
 */
public interface ManageProviderOrganizationsUseCase {

    /** In the provider's order. @throws NotFoundException */
    List<OrganizationView> organizations(UUID ownerId, UUID userId, String providerId);

    /** @throws NotFoundException also for an organization the credential does not see */
    OrganizationView organization(UUID ownerId, UUID userId, String providerId, String organizationId);

    /**
     * Sets SELECTED or PREVIEW by hand.
     *
     * @throws InvalidInputException for BLOCKED or any other status
     * @throws ConflictException     if the organization is BLOCKED (not connected): connect it first
     * @throws NotFoundException
     */
    OrganizationView choose(UUID ownerId, UUID userId, String providerId, String organizationId, String status);

    /** Refreshes the credential now (which reads the organizations again) and answers the new list. @throws NotFoundException */
    List<OrganizationView> sync(UUID ownerId, UUID userId, String providerId);
}
