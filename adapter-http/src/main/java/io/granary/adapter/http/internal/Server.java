package io.granary.adapter.http.internal;

import io.granary.adapter.http.RequestObserver;
import io.granary.core.port.in.AuthenticateOwnerUseCase;
import io.granary.core.port.in.ManageCredentialsUseCase;
import io.granary.core.port.in.ManageUsersUseCase;
import io.granary.core.spi.ProviderDescriptor;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Wires the handler chain and runs Undertow. Public only so that the exported facade can reach it. */
public final class Server {

    private final Undertow undertow;
    private final GracefulShutdownHandler shutdown;

    public Server(ManageUsersUseCase users, ManageCredentialsUseCase credentials, AuthenticateOwnerUseCase owners,
                  List<ProviderDescriptor> providers, byte[] jwtSecret, String host, int port,
                  boolean revealSecrets, Clock clock) {
        this(users, credentials, owners, providers, jwtSecret, host, port, revealSecrets, clock,
                RequestObserver.NONE, () -> true, null, null);
    }

    /**
     * @param metrics      Prometheus text for {@code GET /metrics}, or null for no such route
     * @param metricsToken bearer token {@code /metrics} requires, or null for none
     */
    public Server(ManageUsersUseCase users, ManageCredentialsUseCase credentials, AuthenticateOwnerUseCase owners,
                  List<ProviderDescriptor> providers, byte[] jwtSecret, String host, int port,
                  boolean revealSecrets, Clock clock, RequestObserver observer, BooleanSupplier ready,
                  Supplier<String> metrics, String metricsToken) {
        Json json = new Json();
        Authentication auth = new Authentication(owners, new Tokens(jwtSecret, clock), new LoginThrottle(clock), json);
        Router router = new Router(json);
        router.add("POST", "/api/authenticate", auth::login);
        new UserEndpoints(users, json).register(router, auth);
        new CredentialEndpoints(credentials, providers, new CredentialJson(revealSecrets), json).register(router, auth);
        new Operations(json, ready, metrics, metricsToken).register(router);

        // Routing runs on a worker thread: every route may touch the database or a provider.
        HttpHandler chain = Envelope.headersAndLog(new BlockingHandler(Envelope.problems(json, router.handler())), observer);
        shutdown = new GracefulShutdownHandler(chain);
        undertow = Undertow.builder()
                .addHttpListener(port, host)
                // Undertow's own ceiling, well above the 64 KiB the routes accept: bounds what it drains after a 413.
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, 1024L * 1024)
                .setServerOption(UndertowOptions.ALLOW_UNESCAPED_CHARACTERS_IN_URL, false)
                .setHandler(shutdown)
                .build();
    }

    public void start() {
        undertow.start();
    }

    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    /** Stops taking requests, lets those in flight finish (up to {@code grace}), then stops the server. */
    public boolean stop(Duration grace) {
        shutdown.shutdown();
        boolean drained;
        try {
            drained = shutdown.awaitShutdown(Math.max(1, grace.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drained = false;
        }
        undertow.stop();
        return drained;
    }
}
