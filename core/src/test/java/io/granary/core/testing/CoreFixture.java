package io.granary.core.testing;

import io.granary.core.domain.ApiOwner;
import io.granary.core.service.ConfigurationService;
import io.granary.core.service.CredentialRefresher;
import io.granary.core.service.CredentialService;
import io.granary.core.service.RefreshListener;
import io.granary.spi.JdkProviderHttp;
import io.granary.core.service.OwnerService;
import io.granary.core.service.PasswordHasher;
import io.granary.core.service.ProviderOrganizationService;
import io.granary.core.service.ProviderRegistry;
import io.granary.core.service.RefreshPolicy;
import io.granary.core.service.UserService;
import io.granary.core.service.WebhookDestinationGuard;
import io.granary.core.service.WebhookService;
import io.granary.spi.ProviderAdapter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The real core services over {@link InMemoryStores}, for adapter tests that need working use cases.
 * No scheduler runs: credentials stay PROCESSING unless a test refreshes them.
 */
public final class CoreFixture {

    public final InMemoryStores stores = new InMemoryStores();
    public final Clock clock = Clock.systemUTC();
    public final ProviderRegistry providers;
    public final OwnerService owners;
    public final UserService users;
    public final CredentialRefresher refresher;
    public final CredentialService credentials;
    public final ProviderOrganizationService organizations;
    public final ConfigurationService configurations;
    /** No sender runs: deliveries stay in {@code stores.outbox()} unless a test sends them. */
    public final WebhookService webhooks;
    public final WebhookDestinationGuard webhookDestinations;

    private CoreFixture(List<ProviderAdapter> adapters, Map<String, String> settings, WebhookDestinationGuard webhookDestinations) {
        providers = ProviderRegistry.of(adapters, settings::get);
        // Few iterations: tests log in often, and the hash strength is not what they check.
        owners = new OwnerService(stores.owners(), new PasswordHasher(1_000), clock);
        users = new UserService(stores.users(), stores.credentials(), providers, clock);
        refresher = new CredentialRefresher(providers, stores.credentials(), stores.events(),
                new JdkProviderHttp(Duration.ofSeconds(2), Duration.ofSeconds(5)), RefreshPolicy.defaults(), clock,
                "test", RefreshListener.NONE, stores.providerOrganizations());
        credentials = new CredentialService(providers, stores.users(), stores.credentials(), stores.events(), refresher, () -> { }, clock);
        configurations = new ConfigurationService(stores.configurations(), stores.users());
        organizations = new ProviderOrganizationService(providers, stores.credentials(), stores.providerOrganizations(),
                refresher, configurations);
        this.webhookDestinations = webhookDestinations;
        webhooks = new WebhookService(stores.webhooks(), () -> { }, clock, webhookDestinations);
    }

    /** With the {@link TestOAuthProvider} only; webhooks may point at private addresses (see below). */
    public static CoreFixture create() {
        return with(List.of(new TestOAuthProvider()), Map.of());
    }

    /** Webhooks may point at private addresses: the tests' receivers listen on loopback. */
    public static CoreFixture with(List<ProviderAdapter> adapters, Map<String, String> settings) {
        return new CoreFixture(adapters, settings, WebhookDestinationGuard.allowingPrivate());
    }

    public static CoreFixture with(List<ProviderAdapter> adapters, Map<String, String> settings,
                                   WebhookDestinationGuard webhookDestinations) {
        return new CoreFixture(adapters, settings, webhookDestinations);
    }

    public ApiOwner addOwner(String email, String password) {
        return owners.create(email, password);
    }
}
