package io.granary.spi;

import java.util.Objects;

/**
 * An organization a grant can see at the provider (a John Deere organization, a Trimble organization), as a provider
 * read it while checking access. {@code connected} is false when the grower has not yet shared it with the app;
 * {@code managementUri} is where the grower goes to connect it, or null.
 */
public record ProviderOrganization(String id, String name, boolean connected, String managementUri) {
    public ProviderOrganization {
        Objects.requireNonNull(id, "id");
    }
}
