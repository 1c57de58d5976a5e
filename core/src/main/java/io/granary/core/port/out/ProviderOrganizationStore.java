package io.granary.core.port.out;

import io.granary.core.domain.OrganizationStatus;
import io.granary.core.domain.SeenOrganization;
import io.granary.spi.ProviderOrganization;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The organizations each credential's grant saw at its latest refresh. Rows go with their credential when it is
 * deleted. Callers scope by owner through the credential: this port trusts the credential id it is given.
 */
public interface ProviderOrganizationStore {

    /**
     * Replaces the credential's organizations with {@code seen}, in one transaction: organizations no longer seen go,
     * one still seen keeps the status chosen for it. Does nothing if the credential no longer exists.
     */
    void saveSeen(UUID credentialId, List<ProviderOrganization> seen, Instant seenAt);

    /** In the order the provider listed them at the latest refresh. */
    List<SeenOrganization> list(UUID credentialId);

    /**
     * Records the status chosen by hand for one organization.
     *
     * @param chosen SELECTED or PREVIEW
     * @return false if the credential has no such organization
     */
    boolean choose(UUID credentialId, String organizationId, OrganizationStatus chosen);
}
