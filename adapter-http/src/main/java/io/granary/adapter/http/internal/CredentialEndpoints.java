package io.granary.adapter.http.internal;

import io.granary.core.domain.Credential;
import io.granary.core.domain.CredentialEvent;
import io.granary.core.domain.Page;
import io.granary.core.domain.PageRequest;
import io.granary.core.port.in.AttachCredentialCommand;
import io.granary.core.port.in.ManageCredentialsUseCase;
import io.granary.spi.ProviderDescriptor;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Provider credentials: {@code /services/usermanagement/api/users/{leafUserId}/{suffix}} and the providers list. */
final class CredentialEndpoints {

    static final String CREDENTIAL = UserEndpoints.USERS + "/{userId}/{suffix}";
    static final String PROVIDERS = "/services/usermanagement/api/providers";

    private final ManageCredentialsUseCase credentials;
    private final List<ProviderDescriptor> providers;
    private final Map<String, String> origins;
    private final CredentialJson view;
    private final Json json;
    private final AnswerCache answers;

    CredentialEndpoints(ManageCredentialsUseCase credentials, List<ProviderDescriptor> providers, Map<String, String> origins,
                        CredentialJson view, Json json, AnswerCache answers) {
        this.origins = Map.copyOf(origins);
        this.credentials = credentials;
        this.answers = answers;
        this.providers = List.copyOf(providers);
        this.view = view;
        this.json = json;
    }

    void register(Router router, Authentication auth) {
        router.add("GET", CREDENTIAL, auth.owned(this::get))
                .add("POST", CREDENTIAL, auth.owned(this::attach))
                .add("DELETE", CREDENTIAL, auth.owned(this::detach))
                .add("GET", CREDENTIAL + "/events", auth.owned(this::events))
                .add("POST", CREDENTIAL + "/refresh", auth.owned(this::refresh))
                .add("GET", PROVIDERS, auth.owned((exchange, owner) ->
                        json.send(exchange, 200, providers.stream()
                                .map(p -> CredentialJson.provider(p, origins.getOrDefault(p.id(), "built-in"))).toList())));
    }

    private void get(HttpServerExchange exchange, UUID owner) {
        Target t = target(exchange);
        Optional<Credential> asStored = credentials.getWithoutRefresh(owner, t.userId, t.suffix);
        Credential credential = asStored.orElseGet(() -> credentials.get(owner, t.userId, t.suffix));
        byte[] body = json.write(view.credential(credentials.provider(t.suffix), credential));
        if (asStored.isPresent()) {
            // Only what was read after the change stamp may be kept: a refresh's result, perhaps from another
            // request's refresh that this one joined, may have been read before it.
            answers.keep(exchange, owner, credential.id(), credentials.refreshOnReadFrom(credential), body);
        }
        Json.send(exchange, 200, body);
    }

    private void attach(HttpServerExchange exchange, UUID owner) {
        Target t = target(exchange);
        ProviderDescriptor provider = credentials.provider(t.suffix); // unknown suffix: 404 before reading the body
        Credential created = credentials.attach(owner, t.userId, t.suffix,
                AttachCredentialCommand.fromJson(json.readObject(exchange)));
        exchange.getResponseHeaders().put(Headers.LOCATION, UserEndpoints.USERS + "/" + t.userId + "/" + provider.endpointSuffix());
        json.send(exchange, 201, view.credential(provider, created));
    }

    private void detach(HttpServerExchange exchange, UUID owner) {
        Target t = target(exchange);
        credentials.detach(owner, t.userId, t.suffix);
        exchange.setStatusCode(204);
        exchange.endExchange();
    }

    private void events(HttpServerExchange exchange, UUID owner) {
        Target t = target(exchange);
        PageRequest request = Paging.parse(exchange);
        Page<CredentialEvent> page = credentials.events(owner, t.userId, t.suffix, request);
        Paging.headers(exchange, request, page);
        json.send(exchange, 200, page.items().stream().map(CredentialJson::event).toList());
    }

    private void refresh(HttpServerExchange exchange, UUID owner) {
        Target t = target(exchange);
        answer(exchange, 200, t, credentials.refreshNow(owner, t.userId, t.suffix));
    }

    private void answer(HttpServerExchange exchange, int status, Target t, Credential credential) {
        json.send(exchange, status, view.credential(credentials.provider(t.suffix), credential));
    }

    private record Target(UUID userId, String suffix) { }

    private static Target target(HttpServerExchange exchange) {
        return new Target(UserEndpoints.pathId(exchange), Router.param(exchange, "suffix"));
    }
}
