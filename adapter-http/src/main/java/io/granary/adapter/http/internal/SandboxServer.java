package io.granary.adapter.http.internal;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A simulated OAuth 2.0 provider served by Granary itself (only with {@code GRANARY_SANDBOX=true}), so a newcomer
 * can walk the whole grower journey on one machine: {@code /sandbox/authorize} (an Approve button), {@code /sandbox/token}
 * (authorization code with PKCE S256; refresh tokens rotate on every use), {@code /sandbox/userinfo},
 * {@code /sandbox/revoke} (RFC 7009: the grant leaves the list), and
 * {@code /sandbox/grants}, where a grant can be revoked to see a credential turn INVALID. State lives in memory
 * and dies with the process. Any client id and non-blank secret are accepted.
 */
final class SandboxServer {

    static final String BASE = "/sandbox";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;
    private final Map<String, Code> codes = new ConcurrentHashMap<>();
    private final Map<String, Grant> grants = new ConcurrentHashMap<>();
    private final Map<String, Grant> byRefresh = new ConcurrentHashMap<>();
    private final Map<String, Grant> byAccess = new ConcurrentHashMap<>();
    private final Json json;

    private record Code(String clientId, String redirectUri, String challenge, Instant expires) {
    }

    private static final class Grant {
        final String id = token(9);
        final String clientId;
        final Instant created;
        volatile String refresh;
        volatile String access;
        volatile boolean revoked;
        volatile int rotations;

        Grant(String clientId, Instant created) {
            this.clientId = clientId;
            this.created = created;
        }
    }

    SandboxServer(Json json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    void register(Router router) {
        router.add("GET", BASE + "/authorize", this::authorizePage)
                .add("POST", BASE + "/authorize", this::decide)
                .add("POST", BASE + "/token", this::token)
                .add("GET", BASE + "/userinfo", this::userinfo)
                .add("GET", BASE + "/grants", this::grantsPage)
                .add("POST", BASE + "/grants/revoke", this::revoke)
                .add("POST", BASE + "/revoke", this::revokeToken);
    }

    private void authorizePage(HttpServerExchange exchange) {
        String clientId = Html.query(exchange, "client_id");
        String redirect = Html.query(exchange, "redirect_uri");
        String state = Html.query(exchange, "state");
        String challenge = Html.query(exchange, "code_challenge");
        if (!"code".equals(Html.query(exchange, "response_type")) || clientId == null || redirect == null
                || Html.origin(redirect) == null) {
            sandboxPage(exchange, 400, "Bad request", "<h1>This sign-in request is malformed</h1><p class=\"lead\">"
                    + "The app sent no client id, no valid redirect URI, or a response type other than <code>code</code>.</p>");
            return;
        }
        if (challenge != null && !"S256".equals(Html.query(exchange, "code_challenge_method"))) {
            sandboxPage(exchange, 400, "Bad request", "<h1>Only PKCE S256 is supported</h1>");
            return;
        }
        StringBuilder hidden = new StringBuilder();
        for (String[] field : new String[][] {{"client_id", clientId}, {"redirect_uri", redirect}, {"state", state},
                {"code_challenge", challenge}}) {
            if (field[1] != null) {
                hidden.append("<input type=\"hidden\" name=\"").append(field[0]).append("\" value=\"")
                        .append(Html.esc(field[1])).append("\">");
            }
        }
        String scope = Html.query(exchange, "scope");
        sandboxPage(exchange, 200, "Sign in to Sandbox Farm Data",
                "<p class=\"sandbox-note\">Sandbox provider: simulated, for trying Granary out. No real account is involved.</p>"
                        + "<p class=\"eyebrow\">Sandbox Farm Data</p><h1>Allow access to your farm data?</h1>"
                        + "<p class=\"lead\">The app <strong>" + Html.esc(clientId) + "</strong> asks to:</p>"
                        + "<ul class=\"scopes\"><li>Read your fields and boundaries</li><li>Read your field operations</li>"
                        + (scope == null ? "" : "<li>Scopes requested: " + Html.esc(scope) + "</li>") + "</ul>"
                        + "<form method=\"post\" action=\"" + BASE + "/authorize\" class=\"row\">" + hidden
                        + "<button type=\"submit\" name=\"decision\" value=\"approve\">Approve</button>"
                        + "<button class=\"secondary\" type=\"submit\" name=\"decision\" value=\"deny\">Deny</button></form>"
                        + "<p class=\"fineprint\">You will be sent back to " + Html.esc(Html.origin(redirect)) + ".</p>");
    }

    private void decide(HttpServerExchange exchange) {
        Map<String, String> form = Html.form(exchange);
        String redirect = form.get("redirect_uri");
        if (redirect == null || Html.origin(redirect) == null || form.get("client_id") == null) {
            throw Problem.badRequest("the form lacks client_id or a valid redirect_uri");
        }
        Map<String, String> answer = new LinkedHashMap<>();
        if ("approve".equals(form.get("decision"))) {
            String code = token(24);
            codes.put(code, new Code(form.get("client_id"), redirect, form.get("code_challenge"),
                    clock.instant().plus(5, ChronoUnit.MINUTES)));
            answer.put("code", code);
        } else {
            answer.put("error", "access_denied");
        }
        if (form.get("state") != null) {
            answer.put("state", form.get("state"));
        }
        StringBuilder location = new StringBuilder(redirect).append(redirect.contains("?") ? '&' : '?');
        answer.forEach((k, v) -> location.append(k).append('=').append(Html.url(v)).append('&'));
        location.setLength(location.length() - 1);
        Html.redirect(exchange, location.toString());
    }

    private void token(HttpServerExchange exchange) {
        String clientId = basicClientId(exchange);
        if (clientId == null) {
            oauthError(exchange, 401, "invalid_client");
            return;
        }
        Map<String, String> form = Html.form(exchange);
        Grant grant;
        if ("authorization_code".equals(form.get("grant_type"))) {
            Code code = form.get("code") == null ? null : codes.remove(form.get("code"));
            if (code == null || code.expires().isBefore(clock.instant()) || !code.clientId().equals(clientId)
                    || !code.redirectUri().equals(form.get("redirect_uri")) || !pkceMatches(code.challenge(), form.get("code_verifier"))) {
                oauthError(exchange, 400, "invalid_grant");
                return;
            }
            grant = new Grant(clientId, clock.instant());
            grants.put(grant.id, grant);
        } else if ("refresh_token".equals(form.get("grant_type"))) {
            grant = form.get("refresh_token") == null ? null : byRefresh.get(form.get("refresh_token"));
            if (grant == null || grant.revoked || !grant.clientId.equals(clientId) || !form.get("refresh_token").equals(grant.refresh)) {
                oauthError(exchange, 400, "invalid_grant");
                return;
            }
            grant.rotations++;
        } else {
            oauthError(exchange, 400, "unsupported_grant_type");
            return;
        }
        synchronized (grant) {
            if (grant.refresh != null) {
                byRefresh.remove(grant.refresh);
            }
            if (grant.access != null) {
                byAccess.remove(grant.access);
            }
            grant.refresh = "sbx-rt-" + token(24);
            grant.access = "sbx-at-" + token(24);
            byRefresh.put(grant.refresh, grant);
            byAccess.put(grant.access, grant);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("access_token", grant.access);
        answer.put("token_type", "Bearer");
        answer.put("expires_in", 3600);
        answer.put("refresh_token", grant.refresh);
        answer.put("scope", "fields:read operations:read");
        json.send(exchange, 200, answer);
    }

    private void userinfo(HttpServerExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        Grant grant = header != null && header.startsWith("Bearer ") ? byAccess.get(header.substring(7).trim()) : null;
        if (grant == null || grant.revoked) {
            oauthError(exchange, 401, "invalid_token");
            return;
        }
        json.send(exchange, 200, Map.of("sub", grant.id, "name", "Sandbox Grower"));
    }

    private void grantsPage(HttpServerExchange exchange) {
        StringBuilder rows = new StringBuilder();
        List<Grant> list = new ArrayList<>(grants.values());
        list.sort((a, b) -> b.created.compareTo(a.created));
        for (Grant g : list) {
            rows.append("<tr><td>").append(Html.esc(g.id)).append("</td><td>").append(Html.esc(g.clientId))
                    .append("</td><td>").append(g.rotations).append("</td><td>").append(g.revoked ? "revoked" : "active")
                    .append("</td><td>");
            if (!g.revoked) {
                rows.append("<form method=\"post\" action=\"").append(BASE).append("/grants/revoke\">")
                        .append("<input type=\"hidden\" name=\"id\" value=\"").append(Html.esc(g.id)).append("\">")
                        .append("<button class=\"danger\" type=\"submit\">Revoke</button></form>");
            }
            rows.append("</td></tr>");
        }
        sandboxPage(exchange, 200, "Sandbox grants", "<p class=\"eyebrow\">Sandbox Farm Data</p><h1>Grants</h1>"
                + "<p class=\"lead\">Revoke a grant to see Granary mark its credential INVALID at the next refresh.</p>"
                + (list.isEmpty() ? "<p>No grants yet.</p>" : "<table><tr><th>Grant</th><th>Client</th><th>Refreshes</th>"
                + "<th>Status</th><th></th></tr>" + rows + "</table>"));
    }

    private void revoke(HttpServerExchange exchange) {
        Grant grant = grants.get(String.valueOf(Html.form(exchange).get("id")));
        if (grant != null) {
            grant.revoked = true;
        }
        Html.redirect(exchange, BASE + "/grants");
    }

    /**
     * RFC 7009 revocation by the client (Granary, after a credential is deleted or replaced): the grant is gone, as
     * from a real provider's list of connected apps. 200 also for a token it does not know (section 2.2).
     */
    private void revokeToken(HttpServerExchange exchange) {
        String clientId = basicClientId(exchange);
        if (clientId == null) {
            oauthError(exchange, 401, "invalid_client");
            return;
        }
        String token = Html.form(exchange).get("token");
        Grant grant = token == null ? null : byRefresh.get(token);
        if (grant == null && token != null) {
            grant = byAccess.get(token);
        }
        if (grant != null && grant.clientId.equals(clientId)) {
            grants.remove(grant.id);
            synchronized (grant) {
                grant.revoked = true;
                byRefresh.remove(grant.refresh);
                byAccess.remove(grant.access);
            }
        }
        exchange.setStatusCode(200);
        exchange.endExchange();
    }

    private void sandboxPage(HttpServerExchange exchange, int status, String title, String content) {
        Html.send(exchange, status, title, List.of(), List.of(),
                "<div class=\"band\"></div><main class=\"card\">" + content + "</main><footer>Granary sandbox provider</footer>");
    }

    private void oauthError(HttpServerExchange exchange, int status, String error) {
        json.send(exchange, status, Map.of("error", error));
    }

    private static boolean pkceMatches(String challenge, String verifier) {
        if (challenge == null) {
            return true;
        }
        if (verifier == null) {
            return false;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return MessageDigest.isEqual(Base64.getUrlEncoder().withoutPadding().encodeToString(digest).getBytes(StandardCharsets.US_ASCII),
                    challenge.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The client id of an HTTP Basic header with a non-blank secret, or null. */
    private static String basicClientId(HttpServerExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String pair = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            if (colon < 1 || colon == pair.length() - 1) {
                return null;
            }
            return java.net.URLDecoder.decode(pair.substring(0, colon), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String token(int bytes) {
        byte[] buffer = new byte[bytes];
        RANDOM.nextBytes(buffer);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer);
    }

}
