package io.granary.adapter.http.internal;

import io.granary.adapter.http.RequestObserver;
import io.granary.core.port.in.AuthenticateOwnerUseCase;
import io.granary.core.port.in.ManageCredentialsUseCase;
import io.granary.core.port.in.ManageUsersUseCase;
import io.granary.core.port.in.ManageWebhooksUseCase;
import io.granary.core.port.out.ChangeFeed;
import io.granary.spi.ProviderDescriptor;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.xnio.Options;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Wires the handler chain and runs Undertow. Public only so that the exported facade can reach it. */
public final class Server {

    private final Undertow undertow;
    private final GracefulShutdownHandler shutdown;

    public Server(ManageUsersUseCase users, ManageCredentialsUseCase credentials, AuthenticateOwnerUseCase owners,
                  List<ProviderDescriptor> providers, Map<String, String> providerOrigins, byte[] jwtSecret, String host, int port,
                  boolean revealSecrets, Clock clock, ManageWebhooksUseCase webhooks, Transport transport,
                  Extensions extensions, Observability observability, AnswerCaching answerCaching) {
        Json json = new Json(transport.bodyTimeout());
        ChangeFeed changes = answerCaching == null ? null : answerCaching.changes();
        Authentication auth = new Authentication(owners, new ActiveOwners(owners, changes), new Tokens(jwtSecret, clock),
                new LoginThrottle(clock), json);
        // Revealed secrets are never kept: plaintext stays in memory no longer than the request that read it.
        AnswerCache answers = answerCaching == null || answerCaching.maxBytes() == 0 || revealSecrets ? AnswerCache.OFF
                : new AnswerCache(changes, answerCaching.maxBytes(), clock, CredentialEndpoints.CREDENTIAL, observability.observer());
        Router router = new Router(json);
        router.add("POST", "/api/authenticate", auth::login);
        CredentialJson credentialView = new CredentialJson(revealSecrets);
        new UserEndpoints(users, json, credentialView, providers).register(router, auth);
        new CredentialEndpoints(credentials, providers, providerOrigins, credentialView, json, answers).register(router, auth);
        if (webhooks != null) {
            new AlertEndpoints(webhooks, owners, json).register(router, auth);
        }
        extensions.register(router, auth, json, owners);
        new Operations(json, observability.ready(), observability.metrics(), observability.metricsToken()).register(router);
        // Described from the finished route table, itself included; written on first request, then kept.
        byte[][] openApi = new byte[1][];
        router.add("GET", "/openapi.json", exchange -> {
            if (openApi[0] == null) {
                openApi[0] = json.write(OpenApiDocument.of(router.routes()));
            }
            Json.send(exchange, 200, openApi[0]);
        });

        // Routing runs on a worker thread: every route may touch the database or a provider. Only answers kept in
        // memory are sent from the IO thread.
        HttpHandler chain = Envelope.headersAndLog(
                answers.inFrontOf(new BlockingHandler(Envelope.problems(json, router.handler())), auth), observability.observer());
        shutdown = new GracefulShutdownHandler(chain);
        Undertow.Builder builder = Undertow.builder();
        if (transport.tls() != null) {
            builder.addHttpsListener(port, host, transport.tls());
        } else {
            builder.addHttpListener(port, host);
        }
        int readMillis = (int) Math.min(Integer.MAX_VALUE, transport.readTimeout().toMillis());
        undertow = builder
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, Transport.MAX_ENTITY_BYTES)
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, Transport.MAX_HEADER_BYTES)
                .setServerOption(UndertowOptions.MAX_HEADERS, Transport.MAX_HEADERS)
                .setServerOption(UndertowOptions.MAX_PARAMETERS, Transport.MAX_QUERY_PARAMETERS)
                .setServerOption(UndertowOptions.MAX_COOKIES, 16)
                .setServerOption(UndertowOptions.ALLOW_UNESCAPED_CHARACTERS_IN_URL, false)
                .setServerOption(UndertowOptions.ALLOW_ENCODED_SLASH, false)
                // Slow-loris: the headers must arrive within the read timeout; idle kept-alive connections are closed.
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, readMillis)
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, (int) Math.min(Integer.MAX_VALUE, transport.idleTimeout().toMillis()))
                .setSocketOption(Options.READ_TIMEOUT, readMillis)
                .setSocketOption(Options.WRITE_TIMEOUT, readMillis)
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
