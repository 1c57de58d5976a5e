package io.granary.adapter.http.internal;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Server-rendered pages for browsers: escaping, the page shell, strict headers, and small form bodies. */
final class Html {

    static final String STYLESHEET = "/services/widgets/assets/pages.css";
    private static final int MAX_FORM_BYTES = 8 * 1024;
    private static final byte[] CSS = load("pages.css");

    private Html() {
    }

    /** Escapes text for HTML element content and double-quoted attributes. */
    static String esc(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c < 0x20 && c != '\n' && c != '\t' ? ' ' : c);
            }
        }
        return out.toString();
    }

    static String url(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The origin of an http(s) URL for a CSP source list, or null if it is not one. */
    static String origin(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI uri = URI.create(url);
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null
                    || !uri.getHost().matches("[A-Za-z0-9.-]+")) {
                return null;
            }
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Sends a whole page. No script may run, nothing may frame it, forms post only to Granary, images come from
     * Granary or the named origins, and no Referer leaves (the link's secret is in its URL).
     */
    static void send(HttpServerExchange exchange, int status, String title, Collection<String> extraStylesheets,
                     Collection<String> imageOrigins, String body) {
        Set<String> images = new LinkedHashSet<>();
        images.add("'self'");
        imageOrigins.stream().filter(o -> o != null).forEach(images::add);
        StringBuilder page = new StringBuilder(4096);
        page.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<meta name=\"robots\" content=\"noindex\">")
                .append("<title>").append(esc(title)).append("</title>")
                .append("<link rel=\"stylesheet\" href=\"").append(STYLESHEET).append("\">");
        for (String sheet : extraStylesheets) {
            page.append("<link rel=\"stylesheet\" href=\"").append(esc(sheet)).append("\">");
        }
        page.append("</head><body>").append(body).append("</body></html>\n");
        exchange.setStatusCode(status);
        exchange.getResponseHeaders()
                .put(Headers.CONTENT_TYPE, "text/html; charset=utf-8")
                .put(new HttpString("Content-Security-Policy"), "default-src 'none'; style-src 'self'; img-src "
                        + String.join(" ", images) + "; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
                .put(new HttpString("Referrer-Policy"), "no-referrer")
                .put(new HttpString("X-Frame-Options"), "DENY");
        exchange.getResponseSender().send(ByteBuffer.wrap(page.toString().getBytes(StandardCharsets.UTF_8)));
    }

    static void css(HttpServerExchange exchange, byte[] css) {
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/css; charset=utf-8");
        exchange.getResponseSender().send(ByteBuffer.wrap(css));
    }

    static void stylesheet(HttpServerExchange exchange) {
        css(exchange, CSS);
    }

    static void redirect(HttpServerExchange exchange, String location) {
        exchange.setStatusCode(303);
        exchange.getResponseHeaders().put(Headers.LOCATION, location)
                .put(new HttpString("Referrer-Policy"), "no-referrer");
        exchange.endExchange();
    }

    static String query(HttpServerExchange exchange, String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    /** An {@code application/x-www-form-urlencoded} body of at most 8 KiB. */
    static Map<String, String> form(HttpServerExchange exchange) {
        if (exchange.getRequestContentLength() > MAX_FORM_BYTES) {
            throw new Problem(413, "the form is too large", null);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[2048];
        try {
            InputStream in = exchange.getInputStream();
            int n;
            while ((n = in.read(buffer)) != -1) {
                if (out.size() + n > MAX_FORM_BYTES) {
                    throw new Problem(413, "the form is too large", null);
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading a form failed", e);
        }
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : out.toString(StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                try {
                    form.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException malformed) {
                    throw Problem.badRequest("the form is malformed");
                }
            }
        }
        return form;
    }

    private static byte[] load(String name) {
        try (InputStream in = Html.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource missing: " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
