package io.granary.adapter.http.internal;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import io.undertow.util.PathTemplateMatch;
import io.undertow.util.PathTemplateMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** A RoutingHandler that also knows, for 405 answers, which methods each path template allows. */
final class Router {

    private final RoutingHandler routes = new RoutingHandler(false); // keep path params out of the query
    private final PathTemplateMatcher<Set<String>> allowed = new PathTemplateMatcher<>();
    private final List<Route> table = new ArrayList<>();

    /** One registered route, for the OpenAPI description. @param secured whether it requires the bearer token */
    record Route(String method, String template, boolean secured) { }

    Router(Json json) {
        routes.setFallbackHandler(exchange -> {
            throw Problem.notFound("no such resource");
        });
        routes.setInvalidMethodHandler(exchange -> {
            PathTemplateMatcher.PathMatchResult<Set<String>> match = allowed.match(exchange.getRelativePath());
            if (match != null) {
                exchange.getResponseHeaders().put(Headers.ALLOW, String.join(", ", match.getValue()));
            }
            Envelope.problem(json, exchange, 405, "method " + exchange.getRequestMethod() + " is not allowed here", null);
        });
    }

    Router add(String method, String template, HttpHandler handler) {
        routes.add(method, template, handler);
        table.add(new Route(method, template, handler instanceof Authentication.Owned));
        Set<String> methods = allowed.get(template);
        if (methods == null) {
            methods = new TreeSet<>();
            allowed.add(template, methods);
        }
        methods.add(method);
        return this;
    }

    /**
     * Every route also answers with a trailing slash, the same as without: Leaf's docs and Postman collection write
     * {@code GET /users/} (https://docs.withleaf.io/docs/user_management_endpoints), and without this
     * {@code /users/} would match {@code /users/{userId}} with an empty id.
     */
    HttpHandler handler() {
        return exchange -> {
            String path = exchange.getRelativePath();
            if (path.length() > 1 && path.endsWith("/")) {
                exchange.setRelativePath(path.substring(0, path.length() - 1));
            }
            routes.handleRequest(exchange);
        };
    }

    /** Every route registered so far, in registration order. */
    List<Route> routes() {
        return List.copyOf(table);
    }

    static String param(HttpServerExchange exchange, String name) {
        return exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY).getParameters().get(name);
    }
}
