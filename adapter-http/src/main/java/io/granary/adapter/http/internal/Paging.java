package io.granary.adapter.http.internal;

import io.granary.core.domain.Page;
import io.granary.core.domain.PageRequest;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Leaf/Spring-style paging: {@code page} from 0, {@code size} 1..100, optional {@code sort=createdDate,asc|desc}. */
final class Paging {

    static final HttpString X_TOTAL_COUNT = new HttpString("X-Total-Count");
    static final HttpString LINK = new HttpString("Link");
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,9}");
    private static final Pattern SORT = Pattern.compile("(createdDate|createdTime|createdAt)(,(asc|desc|ASC|DESC))?");

    private Paging() {
    }

    static PageRequest parse(HttpServerExchange exchange) {
        PageRequest pageOnly = pageOnly(exchange);
        int page = pageOnly.page();
        int size = pageOnly.size();
        String sort = query(exchange, "sort");
        boolean ascending = false; // newest first unless asked otherwise
        if (sort != null) {
            var m = SORT.matcher(sort);
            if (!m.matches()) {
                throw Problem.badField("sort", "'sort' must be createdDate,asc or createdDate,desc");
            }
            // Spring's rule: a sort property without a direction is ascending.
            ascending = m.group(3) == null || m.group(3).equalsIgnoreCase("asc");
        }
        return new PageRequest(page, size, ascending);
    }

    /**
     * Leaf's {@code sort=<property>[,asc|desc]} over the given properties (Spring's rule: no direction is ascending).
     *
     * @return the property and whether ascending, or null when the request has no {@code sort}
     * @throws Problem 400 for another property or direction
     */
    static Sort sort(HttpServerExchange exchange, List<String> properties) {
        String sort = query(exchange, "sort");
        if (sort == null) {
            return null;
        }
        String[] parts = sort.split(",", -1);
        boolean knownDirection = parts.length == 1
                || parts.length == 2 && (parts[1].equalsIgnoreCase("asc") || parts[1].equalsIgnoreCase("desc"));
        if (!knownDirection || !properties.contains(parts[0])) {
            throw Problem.badField("sort", "'sort' must be one of " + properties + ", optionally followed by ,asc or ,desc");
        }
        return new Sort(parts[0], parts.length == 1 || parts[1].equalsIgnoreCase("asc"));
    }

    record Sort(String property, boolean ascending) { }

    /** Page and size only: for lists whose {@code sort} is read by {@link #sort}. */
    static PageRequest pageOnly(HttpServerExchange exchange) {
        int page = number(exchange, "page", 0);
        int size = number(exchange, "size", PageRequest.DEFAULT_SIZE);
        if (size < 1 || size > PageRequest.MAX_SIZE) {
            throw Problem.badField("size", "'size' must be between 1 and " + PageRequest.MAX_SIZE);
        }
        return new PageRequest(page, size, true);
    }

    /** Sets X-Total-Count and a Link header whose URLs keep the request's other query parameters. */
    static void headers(HttpServerExchange exchange, PageRequest request, Page<?> page) {
        long last = Math.max(0, (page.total() + request.size() - 1) / request.size() - 1);
        List<String> links = new ArrayList<>();
        if (request.page() < last) {
            links.add(link(exchange, request.page() + 1, request.size(), "next"));
        }
        if (request.page() > 0) {
            links.add(link(exchange, Math.min(request.page() - 1, last), request.size(), "prev"));
        }
        links.add(link(exchange, last, request.size(), "last"));
        links.add(link(exchange, 0, request.size(), "first"));
        exchange.getResponseHeaders()
                .put(X_TOTAL_COUNT, Long.toString(page.total()))
                .put(LINK, String.join(", ", links));
    }

    private static String link(HttpServerExchange exchange, long page, int size, String rel) {
        // A path-only URL: never built from the Host header, which the client controls.
        StringBuilder url = new StringBuilder(encodePath(exchange.getRequestPath())).append('?');
        for (Map.Entry<String, Deque<String>> param : exchange.getQueryParameters().entrySet()) {
            if (param.getKey().equals("page") || param.getKey().equals("size")) {
                continue;
            }
            for (String value : param.getValue()) {
                url.append(encode(param.getKey())).append('=').append(encode(value)).append('&');
            }
        }
        url.append("page=").append(page).append("&size=").append(size);
        return "<" + url + ">; rel=\"" + rel + "\"";
    }

    private static int number(HttpServerExchange exchange, String name, int fallback) {
        String value = query(exchange, name);
        if (value == null) {
            return fallback;
        }
        if (!NUMBER.matcher(value).matches()) {
            throw Problem.badField(name, "'" + name + "' must be a whole number of 0 or more");
        }
        return Integer.parseInt(value);
    }

    static String query(HttpServerExchange exchange, String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String encodePath(String path) {
        String[] segments = path.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            segments[i] = encode(segments[i]).replace("+", "%20");
        }
        return String.join("/", segments);
    }
}
