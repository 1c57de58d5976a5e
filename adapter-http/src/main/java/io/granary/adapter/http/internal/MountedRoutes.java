package io.granary.adapter.http.internal;

import io.granary.adapter.http.MountedPages;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Serves a {@link MountedPages}: reads the plain request from the exchange and renders the answer. */
final class MountedRoutes {

    private final MountedPages pages;
    private final Json json;

    MountedRoutes(MountedPages pages, Json json) {
        this.pages = pages;
        this.json = json;
    }

    void register(Router router) {
        for (String route : pages.routes()) {
            String[] methodAndPath = route.split(" ", 2);
            router.add(methodAndPath[0], methodAndPath[1], this::serve);
        }
    }

    private void serve(HttpServerExchange exchange) {
        Map<String, String> query = new LinkedHashMap<>();
        exchange.getQueryParameters().forEach((name, values) -> {
            if (!values.isEmpty()) {
                query.put(name, values.getFirst());
            }
        });
        Map<String, String> form = "POST".equals(exchange.getRequestMethod().toString()) ? Html.form(exchange) : Map.of();
        MountedPages.Answer answer = pages.handle(new MountedPages.Request(exchange.getRequestMethod().toString(),
                exchange.getRelativePath(), query, form, exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION)));
        if (answer instanceof MountedPages.Page page) {
            Html.send(exchange, page.status(), page.title(), List.of(), List.of(), page.html());
        } else if (answer instanceof MountedPages.JsonAnswer body) {
            json.send(exchange, body.status(), body.body());
        } else if (answer instanceof MountedPages.Redirect redirect) {
            Html.redirect(exchange, redirect.location());
        } else {
            MountedPages.Refusal refusal = (MountedPages.Refusal) answer;
            throw new Problem(refusal.status(), refusal.detail(), null);
        }
    }
}
