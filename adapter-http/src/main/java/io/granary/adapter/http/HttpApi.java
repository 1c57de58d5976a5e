package io.granary.adapter.http;

import io.granary.adapter.http.internal.AnswerCaching;
import io.granary.adapter.http.internal.Extensions;
import io.granary.adapter.http.internal.Observability;
import io.granary.adapter.http.internal.Server;
import io.granary.adapter.http.internal.Transport;
import io.granary.core.port.in.AuthenticateOwnerUseCase;
import io.granary.core.port.in.ManageCredentialsUseCase;
import io.granary.core.port.in.ManageUsersUseCase;
import io.granary.core.port.in.ManageWebhooksUseCase;
import io.granary.core.port.in.ConnectProvidersUseCase;
import io.granary.core.port.in.ManageAppKeysUseCase;
import io.granary.core.port.in.ManageMagicLinksUseCase;
import io.granary.core.port.in.ManageConfigurationsUseCase;
import io.granary.core.port.in.ManageProviderOrganizationsUseCase;
import io.granary.core.port.in.OAuthHelperUseCase;
import io.granary.core.port.out.ChangeFeed;
import io.granary.spi.ProviderDescriptor;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Granary's Leaf-compatible HTTP API on Undertow. Build with {@link #builder()}, then {@link #start()};
 * {@link #stop(Duration)} lets requests in flight finish.
 */
public final class HttpApi {

    private final Server server;
    private boolean started;

    private HttpApi(Server server) {
        this.server = server;
    }

    public static Builder builder() {
        return new Builder();
    }

    public synchronized HttpApi start() {
        if (!started) {
            server.start();
            started = true;
        }
        return this;
    }

    /** The port actually bound (useful after asking for port 0). */
    public int port() {
        if (!started) {
            throw new IllegalStateException("not started");
        }
        return server.port();
    }

    /**
     * Stops accepting requests and waits up to {@code grace} for those in flight.
     *
     * @return true if every request finished within the grace period
     */
    public synchronized boolean stop(Duration grace) {
        if (!started) {
            return true;
        }
        started = false;
        return server.stop(grace);
    }

    public static final class Builder {
        private ManageUsersUseCase users;
        private ManageCredentialsUseCase credentials;
        private AuthenticateOwnerUseCase owners;
        private ManageWebhooksUseCase webhooks;
        private List<ProviderDescriptor> providers = List.of();
        private Map<String, String> providerOrigins = Map.of();
        private byte[] jwtSecret;
        private String host = "127.0.0.1";
        private int port = 8080;
        private boolean revealSecrets;
        private Clock clock = Clock.systemUTC();
        private Transport transport = Transport.defaults();
        private OAuthHelperUseCase oauthHelper;
        private ManageAppKeysUseCase appKeys;
        private ManageMagicLinksUseCase magicLinks;
        private ConnectProvidersUseCase connect;
        private boolean secureCookies;
        private final List<MountedPages> mounted = new java.util.ArrayList<>();
        private RequestObserver observer = RequestObserver.NONE;
        private BooleanSupplier ready = () -> true;
        private Supplier<String> metrics;
        private String metricsToken;
        private AnswerCaching answerCaching;
        private ManageProviderOrganizationsUseCase organizations;
        private ManageConfigurationsUseCase configurations;

        private Builder() {
        }

        /** Serves Leaf's OAuth helper under {@code /services/oauth/api/{provider}}; off unless given. */
        public Builder oauthHelper(OAuthHelperUseCase useCase) {
            this.oauthHelper = useCase;
            return this;
        }

        public Builder users(ManageUsersUseCase useCase) {
            this.users = useCase;
            return this;
        }

        public Builder credentials(ManageCredentialsUseCase useCase) {
            this.credentials = useCase;
            return this;
        }

        public Builder owners(AuthenticateOwnerUseCase useCase) {
            this.owners = useCase;
            return this;
        }

        /** Alert webhooks; without it the alert routes answer 404. */
        public Builder webhooks(ManageWebhooksUseCase useCase) {
            this.webhooks = useCase;
            return this;
        }

        public Builder providers(List<ProviderDescriptor> loaded) {
            this.providers = List.copyOf(loaded);
            return this;
        }

        /** Where each provider came from, by id: {@code built-in} or a plugin jar's file name (missing: built-in). */
        public Builder providerOrigins(Map<String, String> originById) {
            this.providerOrigins = Map.copyOf(originById);
            return this;
        }

        /** The HS256 key for login tokens: at least 32 bytes. Tokens die with it, so keep it stable across restarts. */
        public Builder jwtSecret(byte[] secret) {
            this.jwtSecret = secret.clone();
            return this;
        }

        public Builder host(String bindHost) {
            this.host = bindHost;
            return this;
        }

        /** 0 picks a free port; read it back with {@link HttpApi#port()}. */
        public Builder port(int bindPort) {
            this.port = bindPort;
            return this;
        }

        /** Answer MASKED credential fields as stored (OMITTED ones stay hidden). For trusted deployments only. */
        public Builder revealSecrets(boolean reveal) {
            this.revealSecrets = reveal;
            return this;
        }

        /**
         * Serves Leaf's provider organization routes ({@code /users/{id}/organizations/{provider}},
         * {@code /users/{id}/{provider}/organizations...}); off unless given.
         */
        public Builder organizations(ManageProviderOrganizationsUseCase useCase) {
            this.organizations = useCase;
            return this;
        }

        /** Serves Leaf's configuration service, {@code /services/config/api/configs}; off unless given. */
        public Builder configurations(ManageConfigurationsUseCase useCase) {
            this.configurations = useCase;
            return this;
        }

        /** Serves {@code /services/usermanagement/api/app-keys}; off unless given. */
        public Builder appKeys(ManageAppKeysUseCase useCase) {
            this.appKeys = useCase;
            return this;
        }

        /**
         * Serves the owner's magic link API and the grower's pages (link, connect, disconnect, callback).
         *
         * @param secure mark the consent cookie {@code Secure}: true whenever browsers reach Granary over https
         */
        public Builder magicLinks(ManageMagicLinksUseCase owners, ConnectProvidersUseCase growers, boolean secure) {
            this.magicLinks = owners;
            this.connect = growers;
            this.secureCookies = secure;
            return this;
        }

        /** Also serves these routes (the app mounts the simulated Sandbox provider's server here when asked to). */
        public Builder mount(MountedPages pages) {
            this.mounted.add(Objects.requireNonNull(pages, "pages"));
            return this;
        }

        public Builder clock(Clock source) {
            this.clock = source;
            return this;
        }

        /** Serve HTTPS only, with this context (e.g. from a PKCS12 key store). */
        public Builder tls(SSLContext context) {
            this.transport = new Transport(context, transport.readTimeout(), transport.bodyTimeout(), transport.idleTimeout());
            return this;
        }

        /** Told about every finished request (route template, status, duration), for metrics. */
        public Builder requestObserver(RequestObserver requestObserver) {
            this.observer = Objects.requireNonNull(requestObserver, "requestObserver");
            return this;
        }

        /** {@code GET /health/ready} answers 200 while this holds, 503 otherwise. {@code /health/live} is always 200. */
        public Builder readiness(BooleanSupplier check) {
            this.ready = Objects.requireNonNull(check, "check");
            return this;
        }

        /**
         * Longest silence while reading a request, and longest time a whole body may take (defaults 10 s and 15 s):
         * a client that stalls or trickles bytes is cut off instead of holding a worker thread.
         */
        public Builder timeouts(Duration read, Duration body) {
            this.transport = new Transport(transport.tls(), read, body, transport.idleTimeout());
            return this;
        }

        /**
         * Serves {@code GET /metrics} with this Prometheus text. Unauthenticated unless {@code bearerToken} is
         * non-null, in which case it must be presented as {@code Authorization: Bearer <token>}.
         */
        public Builder metrics(Supplier<String> prometheusText, String bearerToken) {
            this.metrics = Objects.requireNonNull(prometheusText, "prometheusText");
            this.metricsToken = bearerToken == null || bearerToken.isBlank() ? null : bearerToken;
            return this;
        }

        /**
         * Keeps {@code GET} credential answers in memory and sends them again, from the IO thread, while storage says
         * neither the credential nor its owner changed and the credential is not yet due for a refresh on read. Off
         * unless given (or with {@code maxBytes} 0); always off with {@link #revealSecrets}. Owners' active flags are
         * kept in memory too, dropped when the feed tells of a change (without a feed: for a second).
         *
         * @param changes  tells which credentials and owners changed, by this process or any other; must be cheap to
         *                 catch up with and never block (e.g. {@code SqliteStorage.changes()})
         * @param maxBytes memory the kept answers may take, roughly; 0 keeps none
         */
        public Builder answerCache(ChangeFeed changes, long maxBytes) {
            this.answerCaching = new AnswerCaching(changes, maxBytes);
            return this;
        }

        public HttpApi build() {
            Objects.requireNonNull(users, "users use case");
            Objects.requireNonNull(credentials, "credentials use case");
            Objects.requireNonNull(owners, "owners use case");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(clock, "clock");
            if (jwtSecret == null || jwtSecret.length < 32) {
                throw new IllegalArgumentException("the JWT secret must be at least 32 bytes");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535");
            }
            return new HttpApi(new Server(users, credentials, owners, providers, providerOrigins, jwtSecret, host, port,
                    revealSecrets, clock, webhooks, transport,
                    new Extensions(oauthHelper, appKeys, magicLinks, connect, secureCookies, mounted).withOrganizations(organizations)
                            .withConfigurations(configurations),
                    new Observability(observer, ready, metrics, metricsToken), answerCaching));
        }
    }
}
