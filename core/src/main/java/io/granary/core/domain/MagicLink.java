package io.granary.core.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A link an API owner hands a grower: opening it shows the allowed providers and lets the grower connect them to
 * the owner's Leaf user. The link's secret is derived from its id with a server key, so it is never stored.
 *
 * @param maxUsage   how many times the link page may be opened, or null for no limit
 * @param usageCount how many times it was opened
 */
public record MagicLink(UUID id, UUID ownerId, UUID leafUserId, List<String> allowedProviders, Settings settings,
                        Instant createdAt, Instant expiresAt, Instant lastAccessedAt, Integer maxUsage, int usageCount) {

    public MagicLink {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(ownerId, "ownerId");
        Objects.requireNonNull(leafUserId, "leafUserId");
        allowedProviders = List.copyOf(allowedProviders);
        Objects.requireNonNull(settings, "settings");
    }

    /** The page's look and options, as the owner chose them; validated before they get here. */
    public record Settings(String backgroundColor, String headerImage, String companyLogo, String companyName,
                           boolean showLeafUserName, boolean disconnectEnabled) {
    }

    public boolean usableAt(Instant now) {
        return now.isBefore(expiresAt) && (maxUsage == null || usageCount < maxUsage);
    }
}
