package io.granary.adapter.http.internal;

import io.granary.core.port.in.ConnectProvidersUseCase;
import io.granary.core.port.in.ConnectProvidersUseCase.Choice;
import io.granary.core.port.in.ConnectProvidersUseCase.LinkPage;
import io.granary.core.port.in.ConnectProvidersUseCase.LinkUnavailableException;
import io.granary.core.port.in.ConnectProvidersUseCase.Outcome;
import io.granary.core.port.in.InvalidInputException;
import io.granary.core.port.out.StorageUnavailableException;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.Cookie;
import io.undertow.server.handlers.CookieImpl;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the grower's browser sees: the link page, Connect (to the provider's consent page), Disconnect, and the
 * callback's result. The link's secret travels in the query ({@code ?t=}), which the access log leaves out; the
 * consent is bound to the browser by an HttpOnly, SameSite=Lax cookie holding a random nonce.
 */
final class MagicLinkPages {

    static final String LINK = "/services/widgets/magic-link";
    static final String CALLBACK = "/services/widgets/callback";
    static final String COOKIE = "granary_consent";
    private static final Logger LOG = LoggerFactory.getLogger(MagicLinkPages.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ConnectProvidersUseCase connect;
    private final boolean secureCookie;

    MagicLinkPages(ConnectProvidersUseCase connect, boolean secureCookie) {
        this.connect = connect;
        this.secureCookie = secureCookie;
    }

    void register(Router router) {
        router.add("GET", "/services/widgets/assets/pages.css", Html::stylesheet)
                .add("GET", LINK, page(this::open))
                .add("GET", LINK + "/theme.css", this::theme)
                .add("GET", LINK + "/connect", page(this::connect))
                .add("POST", LINK + "/disconnect", page(this::disconnect))
                .add("GET", CALLBACK, page(this::callback));
    }

    private void open(HttpServerExchange exchange) {
        render(exchange, connect.open(Html.query(exchange, "t")));
    }

    /** The owner's colour as a CSS variable: a stylesheet, because the CSP allows no inline style. */
    private void theme(HttpServerExchange exchange) {
        String color;
        try {
            color = connect.view(Html.query(exchange, "t")).backgroundColor();
        } catch (LinkUnavailableException e) {
            color = null;
        }
        // The core accepted only #rgb, #rrggbb or a plain colour name, so nothing here can break out of the rule.
        String css = color == null ? "" : ":root { --brand: " + color + "; }\n";
        Html.css(exchange, css.getBytes(StandardCharsets.UTF_8));
    }

    private void connect(HttpServerExchange exchange) {
        String nonce = randomNonce();
        String url = connect.connect(Html.query(exchange, "t"), Html.query(exchange, "provider"), nonce);
        exchange.setResponseCookie(cookie(nonce, 15 * 60));
        Html.redirect(exchange, url);
    }

    private void disconnect(HttpServerExchange exchange) {
        Map<String, String> form = Html.form(exchange);
        String token = form.get("t");
        connect.disconnect(token, form.get("provider"));
        Html.redirect(exchange, LINK + "?t=" + Html.url(token));
    }

    private void callback(HttpServerExchange exchange) {
        Cookie cookie = exchange.getRequestCookie(COOKIE);
        Outcome outcome = connect.callback(Html.query(exchange, "state"), cookie == null ? null : cookie.getValue(),
                Html.query(exchange, "code"), Html.query(exchange, "error"));
        exchange.setResponseCookie(cookie("", 0)); // the nonce has done its job
        String back = outcome.token() == null ? null : LINK + "?t=" + Html.url(outcome.token());
        if (outcome.success()) {
            result(exchange, 200, "Connected", "result-ok", "&#10003;", outcome.providerName() + " connected",
                    outcome.message() + " You can close this window, or go back to connect another account.", back);
        } else {
            result(exchange, 400, "Not connected", "result-bad", "!", "Could not connect"
                    + (outcome.providerName() == null ? "" : " " + outcome.providerName()), outcome.message(), back);
        }
    }

    /** Browser routes answer pages, never problem JSON: an expired link gets a friendly page, not a stack of braces. */
    private HttpHandler page(HttpHandler handler) {
        return exchange -> {
            try {
                handler.handleRequest(exchange);
            } catch (LinkUnavailableException e) {
                result(exchange, 410, "Link expired", "result-idle", "!", "This link has expired",
                        "For your security, connection links stop working after a while or once they are deleted. "
                                + "Please ask the company that sent it for a new link.", null);
            } catch (InvalidInputException e) {
                result(exchange, 400, "Not available", "result-bad", "!", "This option is not available",
                        e.getMessage() + ".", null);
            } catch (StorageUnavailableException e) {
                result(exchange, 503, "Try again", "result-idle", "!", "Please try again shortly",
                        "The service is busy right now.", null);
            } catch (Problem e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.error("page {} failed: {}", exchange.getRequestPath(), e.getClass().getName()
                        + (e.getStackTrace().length > 0 ? " at " + e.getStackTrace()[0] : ""));
                result(exchange, 500, "Something went wrong", "result-bad", "!", "Something went wrong",
                        "Please try again in a few minutes.", null);
            }
        };
    }

    private void render(HttpServerExchange exchange, LinkPage page) {
        String t = Html.url(page.token());
        String company = page.companyName() == null ? "Connect your farm data" : page.companyName();
        StringBuilder body = new StringBuilder(4096);
        body.append(page.headerImage() != null
                ? "<div class=\"band\"><img class=\"band-image\" src=\"" + Html.esc(page.headerImage()) + "\" alt=\"\"></div>"
                : "<div class=\"band\"></div>");
        body.append("<main class=\"card\"><div class=\"brand\">");
        if (page.companyLogo() != null) {
            body.append("<img class=\"logo\" src=\"").append(Html.esc(page.companyLogo())).append("\" alt=\"")
                    .append(Html.esc(page.companyName() == null ? "Logo" : page.companyName() + " logo")).append("\">");
        }
        body.append("<div><p class=\"eyebrow\">Connect your accounts</p><h1>").append(Html.esc(company)).append("</h1></div></div>");
        String greeting = page.leafUserName() == null ? "" : "Hi " + Html.esc(page.leafUserName()) + ", ";
        String who = page.companyName() == null ? "this app" : Html.esc(page.companyName());
        body.append("<p class=\"lead\">").append(greeting.isEmpty() ? "Choose" : greeting + "choose")
                .append(" the services that hold your farm data and sign in to share it with ").append(who).append(".</p>");
        body.append("<ul class=\"providers\">");
        for (Choice choice : page.providers()) {
            body.append("<li class=\"provider\"><div class=\"who\"><span class=\"avatar\" aria-hidden=\"true\">")
                    .append(Html.esc(initials(choice.displayName()))).append("</span><div><span class=\"name\">")
                    .append(Html.esc(choice.displayName())).append("</span>").append(status(choice)).append("</div></div>")
                    .append("<div class=\"actions\">");
            if (!choice.ready()) {
                body.append("<span class=\"button disabled\" aria-disabled=\"true\">Not available</span>");
            } else {
                String href = LINK + "/connect?t=" + t + "&amp;provider=" + Html.url(choice.providerId());
                boolean connected = choice.status() != null;
                body.append("<a class=\"button").append(connected ? " secondary" : "").append("\" href=\"").append(href).append("\">")
                        .append(connected ? "Reconnect" : "Connect").append("</a>");
                if (connected && page.disconnectEnabled()) {
                    body.append("<form method=\"post\" action=\"").append(LINK).append("/disconnect\">")
                            .append("<input type=\"hidden\" name=\"t\" value=\"").append(Html.esc(page.token())).append("\">")
                            .append("<input type=\"hidden\" name=\"provider\" value=\"").append(Html.esc(choice.providerId())).append("\">")
                            .append("<button class=\"danger\" type=\"submit\">Disconnect</button></form>");
                }
            }
            body.append("</div></li>");
        }
        if (page.providers().isEmpty()) {
            body.append("<li class=\"provider\"><span class=\"name\">No services are offered through this link.</span></li>");
        }
        body.append("</ul><p class=\"fineprint\">You sign in on each service's own page; your password is never shared with ")
                .append(who).append(". You can revoke access at the service at any time.</p></main>")
                .append("<footer>Secured by Granary</footer>");
        List<String> sheets = page.backgroundColor() == null ? List.of() : List.of(LINK + "/theme.css?t=" + t);
        Html.send(exchange, 200, company, sheets, images(page.headerImage(), page.companyLogo()), body.toString());
    }

    private static void result(HttpServerExchange exchange, int status, String title, String kind, String icon,
                               String heading, String message, String back) {
        StringBuilder body = new StringBuilder(1024);
        body.append("<div class=\"band\"></div><main class=\"card\"><div class=\"result\"><div class=\"result-icon ")
                .append(kind).append("\" aria-hidden=\"true\">").append(icon).append("</div><h1>").append(Html.esc(heading))
                .append("</h1><p class=\"lead\">").append(Html.esc(message)).append("</p>");
        if (back != null) {
            body.append("<a class=\"button\" href=\"").append(Html.esc(back)).append("\">Back to your accounts</a>");
        }
        body.append("</div></main><footer>Secured by Granary</footer>");
        // The back link carries the link's secret, which also selects the owner's colour (empty CSS when none).
        List<String> sheets = back == null ? List.of() : List.of(back.replace(LINK + "?", LINK + "/theme.css?"));
        Html.send(exchange, status, title, sheets, List.of(), body.toString());
    }

    private static String status(Choice choice) {
        if (choice.status() == null) {
            return "<span class=\"status\">Not connected</span>";
        }
        return switch (choice.status()) {
            case "VALID" -> "<span class=\"status status-ok\">Connected</span>";
            case "PROCESSING" -> "<span class=\"status status-warn\">Connected &middot; checking</span>";
            case "MISSING_PERMISSION" -> "<span class=\"status status-warn\">Needs more permission</span>";
            case "TEMPORARILY_UNAVAILABLE" -> "<span class=\"status status-warn\">Connected &middot; service unavailable</span>";
            default -> "<span class=\"status status-bad\">Needs reconnecting</span>";
        };
    }

    private static String initials(String name) {
        StringBuilder out = new StringBuilder(2);
        for (String word : name.split("\\s+")) {
            if (!word.isEmpty() && out.length() < 2 && Character.isLetterOrDigit(word.codePointAt(0))) {
                out.appendCodePoint(word.codePointAt(0));
            }
        }
        return out.toString().toUpperCase(Locale.ROOT);
    }

    private static List<String> images(String... urls) {
        List<String> origins = new ArrayList<>();
        for (String url : urls) {
            String origin = Html.origin(url);
            if (origin != null) {
                origins.add(origin);
            }
        }
        return origins;
    }

    private Cookie cookie(String value, int maxAgeSeconds) {
        return new CookieImpl(COOKIE, value).setPath("/services/widgets").setHttpOnly(true).setSameSiteMode("Lax")
                .setSecure(secureCookie).setMaxAge(maxAgeSeconds);
    }

    private static String randomNonce() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
