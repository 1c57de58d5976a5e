package io.granary.core.testing;

import io.granary.spi.AuthType;
import io.granary.spi.CredentialField;
import io.granary.spi.Environment;
import io.granary.spi.ProviderAdapter;
import io.granary.spi.ProviderDescriptor;
import io.granary.spi.ProviderOrganization;
import io.granary.spi.RefreshContext;
import io.granary.spi.RefreshResult;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A provider whose every refresh reports the organizations a test set, as the John Deere provider reports what its
 * paged {@code /organizations} showed. Calls nothing: the key is always valid.
 */
public final class OrganizationsTestProvider implements ProviderAdapter {

    public static final String ID = "TestOrgs";
    public static final String SUFFIX = "test-orgs-credentials";

    private static final ProviderDescriptor DESCRIPTOR = ProviderDescriptor.builder(ID)
            .displayName("Test Organizations")
            .endpointSuffix(SUFFIX)
            .authType(AuthType.API_KEY)
            .environments(Environment.PRODUCTION)
            .fields(CredentialField.required("apiKey").asSecret())
            .build();

    private volatile List<ProviderOrganization> organizations = List.of();
    private final AtomicInteger refreshes = new AtomicInteger();

    /** What the next refreshes report. */
    public void sees(List<ProviderOrganization> seen) {
        organizations = List.copyOf(seen);
    }

    public int refreshes() {
        return refreshes.get();
    }

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public RefreshResult refresh(RefreshContext context) {
        refreshes.incrementAndGet();
        context.organizationsSeen(organizations);
        return RefreshResult.valid();
    }
}
