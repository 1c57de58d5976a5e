package io.granary.adapter.http.internal;

import io.granary.core.domain.AlertEvent;
import io.granary.core.domain.ApiOwner;
import io.granary.core.port.in.AuthenticateOwnerUseCase;
import io.granary.core.domain.FailedCall;
import io.granary.core.domain.Webhook;
import io.granary.core.port.in.ManageWebhooksUseCase;
import io.granary.core.port.in.WebhookDraft;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Alert webhooks: {@code /services/alerts/api/alerts/webhooks}. The secret goes in, never out. */
final class AlertEndpoints {

    static final String WEBHOOKS = "/services/alerts/api/alerts/webhooks";

    private final ManageWebhooksUseCase webhooks;
    private final AuthenticateOwnerUseCase owners;
    private final Json json;

    AlertEndpoints(ManageWebhooksUseCase webhooks, AuthenticateOwnerUseCase owners, Json json) {
        this.webhooks = webhooks;
        this.owners = owners;
        this.json = json;
    }

    void register(Router router, Authentication auth) {
        router.add("POST", WEBHOOKS, auth.owned(this::create))
                .add("GET", WEBHOOKS, auth.owned(this::list))
                // A literal segment: Undertow prefers it to the {webhookId} template below.
                .add("GET", WEBHOOKS + "/failed-calls", auth.owned(this::failedCalls))
                .add("GET", WEBHOOKS + "/{webhookId}", auth.owned(this::get))
                .add("DELETE", WEBHOOKS + "/{webhookId}", auth.owned(this::delete));
    }

    private void create(HttpServerExchange exchange, UUID owner) {
        Webhook webhook = webhooks.register(owner, WebhookDraft.fromJson(json.readObject(exchange)));
        exchange.getResponseHeaders().put(Headers.LOCATION, WEBHOOKS + "/" + webhook.id());
        json.send(exchange, 201, toJson(webhook));
    }

    private void list(HttpServerExchange exchange, UUID owner) {
        json.send(exchange, 200, webhooks.list(owner).stream().map(AlertEndpoints::toJson).toList());
    }

    private void get(HttpServerExchange exchange, UUID owner) {
        json.send(exchange, 200, toJson(webhooks.get(owner, pathId(exchange))));
    }

    private void delete(HttpServerExchange exchange, UUID owner) {
        webhooks.delete(owner, pathId(exchange));
        exchange.setStatusCode(204);
        exchange.endExchange();
    }

    /** Leaf's item shape; {@code apiOwner} is the owner's login (Leaf identifies an API owner by its email). */
    private void failedCalls(HttpServerExchange exchange, UUID owner) {
        String apiOwner = owners.activeOwner(owner).map(ApiOwner::email).orElse(owner.toString());
        json.send(exchange, 200, Map.of("items", webhooks.failedCalls(owner).stream().map(call -> toJson(apiOwner, call)).toList()));
    }

    private static UUID pathId(HttpServerExchange exchange) {
        return Ids.parse("webhookId", Router.param(exchange, "webhookId"));
    }

    static Map<String, Object> toJson(Webhook webhook) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", webhook.id().toString());
        out.put("name", webhook.name());
        out.put("url", webhook.url().toString());
        out.put("events", webhook.events().stream().sorted().map(AlertEvent::wireName).toList());
        out.put("createdAt", CredentialJson.time(webhook.createdAt()));
        return out;
    }

    static Map<String, Object> toJson(String apiOwner, FailedCall call) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("apiOwner", apiOwner);
        out.put("createdAt", CredentialJson.time(call.createdAt()));
        out.put("url", call.url());
        out.put("status", call.status());
        out.put("response", call.response());
        out.put("requestBody", call.requestBody());
        out.put("connectionError", call.connectionError()); // null when the receiver answered
        return out;
    }
}
