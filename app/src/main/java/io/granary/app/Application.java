package io.granary.app;

import io.granary.adapter.http.HttpApi;
import io.granary.core.Granary;
import io.granary.core.crypto.AesGcmSealer;
import io.granary.core.port.in.ManageCredentialsUseCase;
import io.granary.core.port.out.Storage;
import io.granary.core.crypto.SealException;
import io.granary.core.service.RefreshListener;
import io.granary.spi.JdkProviderHttp;
import io.granary.core.service.AppKeyService;
import io.granary.core.service.MagicLinkService;
import io.granary.core.service.OAuthHelperService;
import io.granary.core.service.OwnerService;
import io.granary.core.service.PasswordHasher;
import io.granary.core.service.FoundProvider;
import io.granary.provider.sandbox.SandboxServer;
import io.granary.core.service.ProviderRegistry;
import io.granary.core.service.RefreshPolicy;
import io.granary.core.service.AlertSender;
import io.granary.core.service.WebhookDestinationGuard;
import io.granary.spi.ProviderHttp;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running service: storage, providers, lifecycle and HTTP, started and stopped in order. */
public final class Application implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Application.class);
    static final String DATABASE_FILE = StorageFactory.DATABASE_FILE;

    private final Storage storage;
    private final Granary granary;
    private final DataDirectoryLock lock;
    private final HttpApi http;
    private final Metrics metrics;
    private boolean stopped;

    private Application(DataDirectoryLock lock, Storage storage, Granary granary, HttpApi http, Metrics metrics) {
        this.lock = lock;
        this.storage = storage;
        this.granary = granary;
        this.http = http;
        this.metrics = metrics;
    }

    public static Application start(Settings settings) {
        Clock clock = Clock.systemUTC();
        DataDirectory data = new DataDirectory(Path.of(settings.get("GRANARY_DATA_DIR", "granary-data")));
        String publicUrl = publicUrl(settings);
        boolean sandbox = settings.flag("GRANARY_SANDBOX");
        ProviderRegistry providers = ProviderRegistry.load(sandbox ? sandboxEndpoints(settings, publicUrl) : settings.asLookup(),
                PluginsDirectory.of(settings));
        providers.origins().forEach((id, origin) -> {
            if (!FoundProvider.BUILT_IN.equals(origin)) {
                LOG.info("provider {} loaded from plugin {}", id, origin);
            }
        });
        // Held while serving: rotate-key refuses to run under a live service.
        DataDirectoryLock lock = DataDirectoryLock.forService(data);
        Storage storage;
        try {
            storage = openStorage(settings, data, true);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        // Off only if asked: an operator should not have to opt in to seeing what the service does.
        Metrics metrics = settings.flag("GRANARY_METRICS_ENABLED", true) ? new Metrics() : null;
        Granary granary = null;
        HttpApi http = null;
        try {
            OwnerService owners = new OwnerService(storage.owners(), new PasswordHasher(), clock);
            bootstrapAdmin(settings, data, owners);

            Duration providerTimeout = settings.duration("GRANARY_PROVIDER_TIMEOUT", Duration.ofSeconds(15));
            granary = granary(settings, data, storage, providers, clock, providerTimeout, metrics);
            ManageCredentialsUseCase credentials = granary.credentials();

            SSLContext tls = Tls.fromSettings(settings);
            JdkProviderHttp consentHttp = new JdkProviderHttp(Duration.ofSeconds(5), providerTimeout);
            MagicLinkService magicLinks = new MagicLinkService(providers, storage.appKeys(), storage.magicLinks(),
                    storage.users(), storage.credentials(), credentials, consentHttp, clock,
                    secret(settings, data, "GRANARY_MAGIC_LINK_KEY", "magic-link.key"), publicUrl);
            HttpApi.Builder api = HttpApi.builder();
            boolean providersLoaded = !providers.descriptors().isEmpty();
            api.readiness(() -> providersLoaded && storage.isHealthy());
            if (metrics != null) {
                metrics.watchBacklog(granary.scheduler());
                metrics.watchAlertBacklog(granary.alertSender());
                metrics.watchCredentials(storage.credentials(), settings.duration("GRANARY_METRICS_SAMPLE_INTERVAL", Duration.ofSeconds(30)));
                api.requestObserver(metrics).metrics(metrics::scrape, settings.get("GRANARY_METRICS_TOKEN"));
            }
            api
                    .users(granary.users())
                    .credentials(credentials)
                    .organizations(granary.organizations())
                    .configurations(granary.configurations())
                    .owners(owners)
                    .webhooks(granary.webhooks())
                    .providers(providers.descriptors())
                    .providerOrigins(providers.origins())
                    .jwtSecret(jwtSecret(settings, data))
                    .host(settings.get("GRANARY_HOST", "127.0.0.1"))
                    .port(settings.integer("GRANARY_PORT", 8080, 0, 65535))
                    .revealSecrets(settings.flag("GRANARY_REVEAL_SECRETS"))
                    .clock(clock)
                    .oauthHelper(new OAuthHelperService(providers, consentHttp, clock))
                    .appKeys(new AppKeyService(providers, storage.appKeys(), clock))
                    .magicLinks(magicLinks.owners(), magicLinks.growers(), publicUrl.startsWith("https://"));
            if (sandbox) {
                api.mount(new SandboxPages(new SandboxServer(clock)));
            }
            if (tls != null) {
                api.tls(tls);
            }
            int answerCacheMegabytes = settings.integer("GRANARY_ANSWER_CACHE_MB", 16, 0, 4096);
            // 0 MB keeps only owners' active flags; a storage that cannot tell what changed keeps nothing.
            storage.changes().ifPresent(changes -> api.answerCache(changes, answerCacheMegabytes * 1024L * 1024));
            // Bind first: a taken port must stop start-up before any refresh or webhook runs against the database.
            http = bind(api.build(), settings);
            // Leases left by this instance's previous life (same instance id) are released here: retried at once.
            granary.start();
            if (settings.flag("GRANARY_REVEAL_SECRETS")) {
                LOG.warn("GRANARY_REVEAL_SECRETS is on: API answers carry client secrets and refresh tokens in clear");
            }
            LOG.info("magic links: public URL {}; register {} as the redirect URI of each provider app", publicUrl, magicLinks.redirectUri());
            if (sandbox) {
                LOG.warn("GRANARY_SANDBOX is on: the simulated Sandbox provider is loaded and served under {}/sandbox", publicUrl);
            }
            LOG.info("Granary listening ({}) on port {} with {} providers, data in {}", tls != null ? "HTTPS" : "HTTP", http.port(), providers.descriptors().size(), data.root());
            return new Application(lock, storage, granary, http, metrics);
        } catch (RuntimeException e) {
            if (http != null) {
                http.stop(Duration.ZERO);
            }
            if (granary != null) {
                granary.close();
            }
            if (metrics != null) {
                metrics.close();
            }
            storage.close();
            lock.close();
            throw e;
        }
    }

    public int port() {
        return http.port();
    }

    /** Stops background refreshes, lets in-flight requests finish, then closes the database. */
    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        LOG.info("Granary shutting down");
        // First: attempts in flight record their outcome; anything queued later waits in the outbox for the next start.
        granary.close();
        boolean drained = http.stop(Duration.ofSeconds(20));
        storage.close();
        lock.close();
        if (metrics != null) {
            metrics.close();
        }
        LOG.info("Granary stopped {}", drained ? "cleanly" : "after the grace period (some requests were cut off)");
    }

    /** The headless core from the settings: built, not started (the port is bound first). */
    private static Granary granary(Settings settings, DataDirectory data, Storage storage, ProviderRegistry providers,
                                   Clock clock, Duration providerTimeout, Metrics metrics) {
        RefreshPolicy policy = new RefreshPolicy(
                settings.duration("GRANARY_REFRESH_MARGIN", Duration.ofMinutes(5)),
                settings.duration("GRANARY_MAX_REFRESH_INTERVAL", Duration.ofHours(24)),
                settings.duration("GRANARY_RETRY_BASE", Duration.ofSeconds(30)),
                settings.duration("GRANARY_RETRY_CAP", Duration.ofHours(1)),
                settings.duration("GRANARY_REFRESH_LEASE", Duration.ofMinutes(2)));
        if (providerTimeout.compareTo(policy.lease()) >= 0) {
            throw new IllegalStateException("GRANARY_PROVIDER_TIMEOUT must be shorter than GRANARY_REFRESH_LEASE");
        }
        ProviderHttp providerHttp = new JdkProviderHttp(Duration.ofSeconds(5).compareTo(providerTimeout) < 0 ? Duration.ofSeconds(5) : providerTimeout, providerTimeout);
        RefreshListener listener = new RefreshListener() {
            @Override
            public void statusChanged(io.granary.core.domain.Credential credential, io.granary.core.domain.CredentialStatus previous) {
                LOG.info("credential {} ({}) moved from {} to {}", credential.id(), credential.providerId(), previous, credential.status());
            }
        };
        if (metrics != null) {
            providerHttp = metrics.instrument(providerHttp);
            listener = RefreshListeners.both(listener, metrics);
        }
        return Granary.builder()
                .storage(storage)
                .providers(providers)
                .refreshPolicy(policy)
                .providerHttp(providerHttp)
                .clock(clock)
                .instanceId(instanceId(settings, data))
                .scheduler(settings.integer("GRANARY_REFRESH_CONCURRENCY", 8, 1, 512),
                        settings.duration("GRANARY_SCHEDULER_POLL", Duration.ofSeconds(30)))
                .eventRetention(settings.duration("GRANARY_EVENT_RETENTION", Duration.ofDays(30)))
                .alerts(alertSettings(settings), webhookDestinations(settings))
                .refreshListener(listener)
                .build();
    }

    /** Names this instance's leases; kept in the data directory so a restart takes back what a crash left. */
    private static String instanceId(Settings settings, DataDirectory data) {
        String configured = settings.get("GRANARY_INSTANCE_ID", null);
        return configured != null ? configured : data.read("instance-id").orElseGet(() -> {
            String id = UUID.randomUUID().toString();
            data.writePrivate("instance-id", id + "\n");
            return id;
        });
    }

    /** Starts the HTTP server; a port already taken is one line naming the setting, not a stack trace. */
    private static HttpApi bind(HttpApi api, Settings settings) {
        try {
            return api.start();
        } catch (RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof java.net.BindException) {
                    throw new IllegalStateException("cannot listen on " + settings.get("GRANARY_HOST", "127.0.0.1") + ":"
                            + settings.get("GRANARY_PORT", "8080") + " (" + cause.getMessage() + "): is another Granary running?"
                            + " Stop it, or set GRANARY_PORT to a free port");
                }
            }
            throw e;
        }
    }

    /** Public receivers only, unless the operator runs receivers on its own network (or develops locally). */
    private static WebhookDestinationGuard webhookDestinations(Settings settings) {
        if (settings.flag("GRANARY_WEBHOOK_ALLOW_PRIVATE")) {
            LOG.warn("GRANARY_WEBHOOK_ALLOW_PRIVATE is on: API owners may point webhooks at loopback, private and link-local"
                    + " addresses, including cloud metadata services");
            return WebhookDestinationGuard.allowingPrivate();
        }
        return WebhookDestinationGuard.publicOnly();
    }

    private static AlertSender.Settings alertSettings(Settings settings) {
        AlertSender.Settings defaults = AlertSender.Settings.defaults();
        Duration timeout = settings.duration("GRANARY_WEBHOOK_TIMEOUT", defaults.requestTimeout());
        Duration connect = timeout.compareTo(defaults.connectTimeout()) < 0 ? timeout : defaults.connectTimeout();
        return new AlertSender.Settings(
                settings.durations("GRANARY_WEBHOOK_RETRY_DELAYS", defaults.retryDelays()),
                // The lease must outlast an attempt; keep the default unless the timeout needs more.
                defaults.lease().compareTo(connect.plus(timeout)) > 0 ? defaults.lease() : connect.plus(timeout).multipliedBy(2),
                settings.duration("GRANARY_WEBHOOK_POLL", defaults.pollInterval()),
                connect, timeout,
                settings.integer("GRANARY_WEBHOOK_CONCURRENCY", defaults.concurrency(), 1, 64),
                settings.duration("GRANARY_WEBHOOK_RETENTION", defaults.retention()));
    }

    /**
     * Opens the database with the configured key ring, refusing, with a message an operator can act on, a
     * missing or wrong key for a database that holds secrets. Never writes plaintext.
     */
    static Storage openStorage(Settings settings, DataDirectory data, boolean mayGenerateKey) {
        StorageFactory factory = StorageFactory.configured(settings, data);
        String database = factory.describe();
        MasterKeys keys = MasterKeys.configured(settings, data);
        if (factory.shared() && keys.source() == MasterKeys.Source.GENERATED_FILE) {
            throw new IllegalStateException(SharedKeys.refusal("GRANARY_MASTER_KEY", "GRANARY_MASTER_KEY_FILE", "master key"));
        }
        if (keys.isEmpty()) {
            if (factory.mayHoldData() && holdsSecrets(factory)) {
                throw new IllegalStateException("the database " + database + " holds encrypted secrets but no master key is configured: "
                        + "set GRANARY_MASTER_KEY or GRANARY_MASTER_KEY_FILE to the key it was written with");
            }
            if (!mayGenerateKey) {
                throw new IllegalStateException("no master key is configured");
            }
            keys = MasterKeys.generate(data);
        }
        Storage storage = factory.open(keys.sealer());
        try {
            storage.verifySealer();
        } catch (SealException e) {
            storage.close();
            throw new IllegalStateException("the master key does not open the secrets in " + database
                    + " (" + e.getMessage() + "); start with the key the database was written with", e);
        }
        return storage;
    }

    private static boolean holdsSecrets(StorageFactory factory) {
        // Any key will do for asking whether sealed values exist; none is opened.
        byte[] throwaway = new byte[32];
        new java.security.SecureRandom().nextBytes(throwaway);
        try (Storage probe = factory.open(new AesGcmSealer("probe", Map.of("probe", throwaway)))) {
            return probe.holdsSecrets();
        }
    }

    private static void bootstrapAdmin(Settings settings, DataDirectory data, OwnerService owners) {
        if (owners.any()) {
            return;
        }
        String email = settings.get("GRANARY_ADMIN_EMAIL");
        String password = settings.get("GRANARY_ADMIN_PASSWORD");
        if (email != null && password != null) {
            try {
                owners.create(email, password);
                LOG.info("created the first API owner {}", email);
            } catch (io.granary.core.port.in.ConflictException another) {
                LOG.info("the first API owner {} was created by another instance", email);
            }
            return;
        }
        String generated = DataDirectory.randomBase64(18).replace('/', '_').replace('+', '-');
        owners.create(email == null ? "admin@localhost" : email, generated);
        data.writePrivate("initial-admin-password", generated + "\n");
        LOG.warn("created the first API owner {}; its password is in {} (readable by this user only): "
                + "log in, then delete that file", email == null ? "admin@localhost" : email, data.resolve("initial-admin-password"));
    }

    /** How browsers reach Granary: magic links and the OAuth redirect URI are built on it. */
    static String publicUrl(Settings settings) {
        String url = settings.get("GRANARY_PUBLIC_URL", "http://localhost:8080");
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        java.net.URI uri;
        try {
            uri = java.net.URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("GRANARY_PUBLIC_URL must be an absolute http(s) URL");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalStateException("GRANARY_PUBLIC_URL must be an absolute http(s) URL without query or fragment");
        }
        return url;
    }

    /** The Sandbox provider is served by this Granary: its endpoints default to the public URL, unless overridden. */
    private static java.util.function.Function<String, String> sandboxEndpoints(Settings settings, String publicUrl) {
        Map<String, String> defaults = Map.of(
                "GRANARY_PROVIDER_SANDBOX_PRODUCTION_AUTHORIZE_URL", publicUrl + "/sandbox/authorize",
                "GRANARY_PROVIDER_SANDBOX_PRODUCTION_TOKEN_URL", publicUrl + "/sandbox/token",
                "GRANARY_PROVIDER_SANDBOX_PRODUCTION_API_URL", publicUrl + "/sandbox",
                "GRANARY_PROVIDER_SANDBOX_PRODUCTION_REVOKE_URL", publicUrl + "/sandbox/revoke");
        return name -> {
            String value = settings.get(name);
            return value != null ? value : defaults.get(name);
        };
    }

    private static byte[] secret(Settings settings, DataDirectory data, String setting, String file) {
        String configured = SharedKeys.configured(settings, setting);
        String base64 = configured != null ? configured : data.readOrGenerate(file, 32);
        byte[] secret;
        try {
            secret = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(setting + " must be base64 of at least 32 random bytes");
        }
        if (secret.length < 32) {
            throw new IllegalStateException(setting + " must be base64 of at least 32 random bytes");
        }
        return secret;
    }

    private static byte[] jwtSecret(Settings settings, DataDirectory data) {
        String configured = SharedKeys.configured(settings, "GRANARY_JWT_SECRET");
        String base64 = configured != null ? configured : data.readOrGenerate("jwt-signing.key", 32);
        byte[] secret;
        try {
            secret = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("GRANARY_JWT_SECRET must be base64 of at least 32 random bytes");
        }
        if (secret.length < 32) {
            throw new IllegalStateException("GRANARY_JWT_SECRET must be base64 of at least 32 random bytes, was " + secret.length);
        }
        return secret;
    }
}
