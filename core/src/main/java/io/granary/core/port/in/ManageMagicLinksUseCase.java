package io.granary.core.port.in;

import io.granary.core.domain.MagicLink;
import java.util.List;
import java.util.UUID;

/** The owner's side of magic links: {@code /services/widgets/api/magic-link/...}. */
public interface ManageMagicLinksUseCase {

    /** @throws InvalidInputException, NotFoundException for an unknown user */
    MagicLink create(UUID ownerId, UUID leafUserId, MagicLinkCommand command);

    /**
     * Leaf's {@code POST /magic-link/provider}: the link goes to the owner's user with the command's
     * {@code externalId}, created from the draft if there is none (an existing one is reused as is).
     * @throws InvalidInputException for a provider a grower cannot connect; nothing is stored then
     */
    MagicLink createWithUser(UUID ownerId, MagicLinkForUserCommand command);

    List<MagicLink> list(UUID ownerId);

    /** @throws NotFoundException */
    MagicLink get(UUID ownerId, UUID id);

    /** @throws NotFoundException */
    void delete(UUID ownerId, UUID id);

    /** The URL the grower opens; carries the link's secret. */
    String link(MagicLink link);
}
