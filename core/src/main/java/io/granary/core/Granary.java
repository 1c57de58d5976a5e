package io.granary.core;

import io.granary.core.domain.Credential;
import io.granary.core.domain.CredentialStatus;
import io.granary.core.port.in.ManageConfigurationsUseCase;
import io.granary.core.port.in.ManageCredentialsUseCase;
import io.granary.core.port.in.ManageProviderOrganizationsUseCase;
import io.granary.core.port.in.ManageUsersUseCase;
import io.granary.core.port.in.ManageWebhooksUseCase;
import io.granary.core.port.out.Storage;
import io.granary.core.service.AlertSender;
import io.granary.core.service.CredentialRefresher;
import io.granary.core.service.ConfigurationService;
import io.granary.core.service.CredentialService;
import io.granary.core.service.ProviderOrganizationService;
import io.granary.core.service.GrantRevoker;
import io.granary.core.service.OwnerService;
import io.granary.core.service.PasswordHasher;
import io.granary.core.service.ProviderRegistry;
import io.granary.core.service.RefreshListener;
import io.granary.core.service.RefreshPolicy;
import io.granary.core.service.RefreshScheduler;
import io.granary.core.service.UserService;
import io.granary.core.service.WebhookDestinationGuard;
import io.granary.core.service.WebhookService;
import io.granary.spi.JdkProviderHttp;
import io.granary.spi.ProviderAdapter;
import io.granary.spi.ProviderHttp;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

/**
 * Granary without HTTP, for embedding in another JVM app: the providers, the storage, the refresher, the refresh
 * scheduler and the webhook alert sender, wired and started in the order they need. Reads no environment variable
 * and opens no port; every setting has a default and a builder method.
 *
 * <pre>{@code
 * try (Storage storage = SqliteStorage.open(Path.of("granary.db"), AesGcmSealer.ofKeyRing(List.of(key)));
 *      Granary granary = Granary.builder().storage(storage).build().start()) {
 *     granary.credentials().attach(ownerId, userId, "john-deere-credentials", AttachCredentialCommand.fromJson(body));
 * }
 * }</pre>
 *
 * The storage stays the caller's: {@link #close()} stops the background work and leaves the storage open, so close
 * the storage after Granary (try-with-resources does, in reverse order).
 */
public final class Granary implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Granary.class.getName());

    private final Storage storage;
    private final ProviderRegistry providers;
    private final String instanceId;
    private final CredentialRefresher refresher;
    private final RefreshScheduler scheduler;
    private final AlertSender alerts;
    private final GrantRevoker revoker;
    private final CredentialService credentials;
    private final UserService users;
    private final ConfigurationService configurations;
    private final ProviderOrganizationService organizations;
    private final WebhookService webhooks;
    private final OwnerService owners;
    private boolean started;
    private boolean closed;

    private Granary(Builder b, AlertSender alerts) {
        this.storage = b.storage;
        this.providers = b.providers;
        this.instanceId = b.instanceId;
        this.alerts = alerts;
        RefreshListener listener = new RefreshListener() {
            @Override
            public void refreshFinished(String providerId, CredentialStatus outcome, Duration took) {
                b.listener.refreshFinished(providerId, outcome, took);
            }

            @Override
            public void statusChanged(Credential credential, CredentialStatus previous) {
                alerts.wake(); // the change may have queued an alert
                b.listener.statusChanged(credential, previous);
            }
        };
        this.refresher = new CredentialRefresher(providers, storage.credentials(), storage.events(), b.providerHttp,
                b.policy, b.clock, instanceId, listener, storage.providerOrganizations());
        this.scheduler = new RefreshScheduler(refresher, storage.credentials(), storage.events(), b.clock,
                b.refreshConcurrency, b.schedulerPoll, b.eventRetention);
        this.revoker = new GrantRevoker(providers, b.providerHttp, b.clock);
        this.credentials = new CredentialService(providers, storage.users(), storage.credentials(), storage.events(),
                refresher, scheduler::wake, revoker::afterDelete, b.clock);
        this.users = new UserService(storage.users(), storage.credentials(), providers, b.clock);
        this.configurations = new ConfigurationService(storage.configurations(), storage.users());
        this.organizations = new ProviderOrganizationService(providers, storage.credentials(),
                storage.providerOrganizations(), refresher, configurations);
        this.webhooks = new WebhookService(storage.webhooks(), alerts::wake, b.clock, b.webhookDestinations);
        this.owners = new OwnerService(storage.owners(), new PasswordHasher(), b.clock);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Resumes refreshes a crash of this instance interrupted (its leases, by instance id), then starts the refresh
     * scheduler and the alert sender. Once only.
     */
    public synchronized Granary start() {
        if (started) {
            throw new IllegalStateException("Granary was already started");
        }
        started = true;
        int released = storage.credentials().releaseLeases(instanceId);
        if (released > 0) {
            LOG.log(System.Logger.Level.WARNING, "resuming {0} refreshes interrupted by the previous shutdown", released);
        }
        scheduler.start();
        alerts.start();
        return this;
    }

    /** Stops the alert sender (attempts in flight record their outcome), then the scheduler. The storage stays open. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        alerts.close();
        scheduler.close();
        revoker.close(); // revocations already queued finish first
    }

    /** Leaf users of API owners. */
    public ManageUsersUseCase users() {
        return users;
    }

    /** Provider credentials of Leaf users: attach, read (refreshed when about to expire), refresh, detach, events. */
    public ManageCredentialsUseCase credentials() {
        return credentials;
    }

    /** The organizations each grant sees at its provider, and which of them the grower selected (Leaf's routes). */
    public ManageProviderOrganizationsUseCase organizations() {
        return organizations;
    }

    /** Leaf's configuration service: owner defaults and per-user overrides. */
    public ManageConfigurationsUseCase configurations() {
        return configurations;
    }

    /** Webhooks that receive alerts when a credential's status changes. */
    public ManageWebhooksUseCase webhooks() {
        return webhooks;
    }

    /** API owners: every user, credential and webhook belongs to one. */
    public OwnerService owners() {
        return owners;
    }

    public ProviderRegistry providers() {
        return providers;
    }

    public Storage storage() {
        return storage;
    }

    /** Its lease owner name in the storage: refreshes and deliveries it holds are released at its next start. */
    public String instanceId() {
        return instanceId;
    }

    public RefreshScheduler scheduler() {
        return scheduler;
    }

    public AlertSender alertSender() {
        return alerts;
    }

    /** Everything has a default except the storage. */
    public static final class Builder {
        private Storage storage;
        private ProviderRegistry providers;
        private Path pluginsDirectory;
        private List<ProviderAdapter> adapters;
        private Function<String, String> endpointSettings = name -> null;
        private RefreshPolicy policy = RefreshPolicy.defaults();
        private ProviderHttp providerHttp;
        private Clock clock = Clock.systemUTC();
        private String instanceId = UUID.randomUUID().toString();
        private int refreshConcurrency = 8;
        private Duration schedulerPoll = Duration.ofSeconds(30);
        private Duration eventRetention = Duration.ofDays(30);
        private AlertSender.Settings alertSettings = AlertSender.Settings.defaults();
        private WebhookDestinationGuard webhookDestinations = WebhookDestinationGuard.publicOnly();
        private RefreshListener listener = new RefreshListener() {
        };

        private Builder() {
        }

        /** Required: where everything is stored (e.g. {@code SqliteStorage.open(file, sealer)}); the caller closes it. */
        public Builder storage(Storage storage) {
            this.storage = Objects.requireNonNull(storage, "storage");
            return this;
        }

        /** The providers; default: every {@link ProviderAdapter} found by {@link java.util.ServiceLoader}. */
        public Builder providers(ProviderRegistry providers) {
            this.providers = Objects.requireNonNull(providers, "providers");
            return this;
        }

        /** These providers only, instead of those found by {@link java.util.ServiceLoader}. */
        public Builder providers(List<ProviderAdapter> adapters) {
            this.adapters = List.copyOf(adapters);
            return this;
        }

        /**
         * Also load every provider jar in this directory (each in its own class loader, as the service does with
         * {@code GRANARY_PLUGINS_DIR}); a jar that cannot be loaded or clashes stops {@link #build()}. Not used with
         * {@link #providers(ProviderRegistry)} or {@link #providers(List)}.
         */
        public Builder pluginsDirectory(Path pluginsDirectory) {
            this.pluginsDirectory = Objects.requireNonNull(pluginsDirectory, "pluginsDirectory");
            return this;
        }

        /**
         * Overrides of provider endpoint URLs by setting name (e.g. {@code GRANARY_PROVIDER_TRIMBLE_PRODUCTION_TOKEN_URL});
         * null for a provider's documented default. Not used with {@link #providers(ProviderRegistry)}.
         */
        public Builder endpointSettings(Function<String, String> endpointSettings) {
            this.endpointSettings = Objects.requireNonNull(endpointSettings, "endpointSettings");
            return this;
        }

        public Builder refreshPolicy(RefreshPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** How provider calls are made; default: the JDK client, 5 s to connect, 15 s per request. */
        public Builder providerHttp(ProviderHttp providerHttp) {
            this.providerHttp = Objects.requireNonNull(providerHttp, "providerHttp");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Names this instance's leases in the storage; keep it across restarts so leases a crash left are taken back
         * at once. Default: random, so a crash's leases are taken over when they expire.
         */
        public Builder instanceId(String instanceId) {
            this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
            return this;
        }

        /** How many refreshes run at once (default 8), and how often the scheduler looks even if not woken (30 s). */
        public Builder scheduler(int refreshConcurrency, Duration poll) {
            if (refreshConcurrency < 1) {
                throw new IllegalArgumentException("refresh concurrency must be at least 1");
            }
            this.refreshConcurrency = refreshConcurrency;
            this.schedulerPoll = Objects.requireNonNull(poll, "poll");
            return this;
        }

        /** How long provider-call events are kept (default 30 days). */
        public Builder eventRetention(Duration retention) {
            this.eventRetention = Objects.requireNonNull(retention, "retention");
            return this;
        }

        public Builder alerts(AlertSender.Settings settings, WebhookDestinationGuard destinations) {
            this.alertSettings = Objects.requireNonNull(settings, "settings");
            this.webhookDestinations = Objects.requireNonNull(destinations, "destinations");
            return this;
        }

        /** Told of every status change after it is stored (and after alerts were woken). */
        public Builder refreshListener(RefreshListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Wires everything; starts nothing (see {@link Granary#start()}). */
        public Granary build() {
            if (storage == null) {
                throw new IllegalStateException("Granary needs a storage: builder().storage(...)");
            }
            if (providers == null) {
                providers = adapters != null ? ProviderRegistry.of(adapters, endpointSettings) : ProviderRegistry.load(endpointSettings, pluginsDirectory);
            }
            if (providerHttp == null) {
                // A call must end well within the refresh lease, or another instance could take the lease over mid-call.
                Duration timeout = shorter(Duration.ofSeconds(15), policy.lease().dividedBy(2));
                providerHttp = new JdkProviderHttp(shorter(Duration.ofSeconds(5), timeout), timeout);
            }
            return new Granary(this, new AlertSender(storage.alertOutbox(), clock, instanceId, alertSettings, webhookDestinations));
        }

        private static Duration shorter(Duration a, Duration b) {
            return a.compareTo(b) <= 0 ? a : b;
        }
    }
}
