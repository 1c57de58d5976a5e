package io.granary.core.service;

import io.granary.core.domain.Credential;
import io.granary.core.domain.OrganizationStatus;
import io.granary.core.domain.SeenOrganization;
import io.granary.core.port.in.ConflictException;
import io.granary.core.port.in.InvalidInputException;
import io.granary.core.port.in.ManageProviderOrganizationsUseCase;
import io.granary.core.port.in.NotFoundException;
import io.granary.core.port.in.OrganizationView;
import io.granary.core.port.out.CredentialStore;
import io.granary.core.port.out.ProviderOrganizationStore;
import io.granary.spi.ProviderDescriptor;
import java.util.List;
import java.util.UUID;

/**
 * Provider organizations as the latest refresh stored them. A status is resolved on read: BLOCKED while the
 * organization is not connected, else what the owner chose by hand, else the user's default (Leaf's
 * {@code organizationDataSync}: ALL selects every connected organization, SELECTED_ONLY previews them).
 */
public final class ProviderOrganizationService implements ManageProviderOrganizationsUseCase {

    /** The status of a connected organization nobody chose a status for, per user (from the configuration). */
    @FunctionalInterface
    public interface Defaults {
        /** Leaf's default, {@code organizationDataSync: ALL}. */
        Defaults ALL_SELECTED = (ownerId, userId) -> OrganizationStatus.SELECTED;

        OrganizationStatus forUser(UUID ownerId, UUID userId);
    }

    private final ProviderRegistry providers;
    private final CredentialStore credentials;
    private final ProviderOrganizationStore organizations;
    private final CredentialRefresher refresher;
    private final Defaults defaults;

    public ProviderOrganizationService(ProviderRegistry providers, CredentialStore credentials,
                                       ProviderOrganizationStore organizations, CredentialRefresher refresher, Defaults defaults) {
        this.providers = providers;
        this.credentials = credentials;
        this.organizations = organizations;
        this.refresher = refresher;
        this.defaults = defaults;
    }

    @Override
    public List<OrganizationView> organizations(UUID ownerId, UUID userId, String providerId) {
        return views(credential(ownerId, userId, providerId));
    }

    @Override
    public OrganizationView organization(UUID ownerId, UUID userId, String providerId, String organizationId) {
        return find(credential(ownerId, userId, providerId), organizationId);
    }

    @Override
    public OrganizationView choose(UUID ownerId, UUID userId, String providerId, String organizationId, String status) {
        OrganizationStatus chosen = chosenStatus(status);
        Credential credential = credential(ownerId, userId, providerId);
        OrganizationView current = find(credential, organizationId);
        if (!current.connected()) {
            throw new ConflictException("organization " + organizationId + " is BLOCKED: the grower has not connected it"
                    + " (see its managementUri); once connected it can be SELECTED or PREVIEW");
        }
        if (!organizations.choose(credential.id(), organizationId, chosen)) {
            throw noOrganization(organizationId); // gone with a refresh that ran meanwhile
        }
        return find(credential, organizationId);
    }

    @Override
    public List<OrganizationView> sync(UUID ownerId, UUID userId, String providerId) {
        Credential credential = credential(ownerId, userId, providerId);
        refresher.refresh(credential.id(), CredentialRefresher.Reason.FORCED)
                .orElseThrow(() -> new NotFoundException("the credential was deleted during the sync"));
        return views(credential);
    }

    private List<OrganizationView> views(Credential credential) {
        OrganizationStatus byDefault = defaults.forUser(credential.ownerId(), credential.leafUserId());
        return organizations.list(credential.id()).stream().map(o -> view(o, byDefault)).toList();
    }

    private OrganizationView find(Credential credential, String organizationId) {
        return views(credential).stream().filter(o -> o.id().equals(organizationId)).findFirst()
                .orElseThrow(() -> noOrganization(organizationId));
    }

    private static OrganizationView view(SeenOrganization seen, OrganizationStatus byDefault) {
        OrganizationStatus status = !seen.connected() ? OrganizationStatus.BLOCKED
                : seen.chosen() != null ? seen.chosen() : byDefault;
        return new OrganizationView(seen.id(), seen.name(), seen.connected(), seen.managementUri(), status);
    }

    private Credential credential(UUID ownerId, UUID userId, String providerId) {
        ProviderDescriptor provider = providers.byId(providerId)
                .orElseThrow(() -> new NotFoundException("no provider '" + printable(providerId) + "'"))
                .descriptor();
        return credentials.find(ownerId, userId, provider.id()).orElseThrow(() -> new NotFoundException(
                "Leaf user " + userId + " has no " + provider.displayName() + " credentials"));
    }

    /** Leaf: "You can only change the status of a provider organization between SELECTED or PREVIEW". */
    private static OrganizationStatus chosenStatus(String status) {
        if ("SELECTED".equals(status)) {
            return OrganizationStatus.SELECTED;
        }
        if ("PREVIEW".equals(status)) {
            return OrganizationStatus.PREVIEW;
        }
        String why = "BLOCKED".equals(status) ? "BLOCKED cannot be set by hand: it follows from the grower's connection"
                : "the status must be SELECTED or PREVIEW";
        throw new InvalidInputException("status", why);
    }

    private static NotFoundException noOrganization(String organizationId) {
        return new NotFoundException("the credential sees no organization '" + printable(organizationId) + "'");
    }

    private static String printable(String text) {
        return text != null && text.length() <= 64 && text.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? text : "(unprintable)";
    }
}
