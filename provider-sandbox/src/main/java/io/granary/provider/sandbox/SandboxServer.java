package io.granary.provider.sandbox;

import io.granary.spi.Pkce;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A simulated OAuth 2.0 provider served by Granary itself (only with {@code GRANARY_SANDBOX=true}), so a newcomer
 * can walk the whole grower journey on one machine: {@code /sandbox/authorize} (an Approve button), {@code /sandbox/token}
 * (authorization code with PKCE S256; refresh tokens rotate on every use), {@code /sandbox/userinfo},
 * {@code /sandbox/revoke} (RFC 7009: the grant leaves the list), and
 * {@code /sandbox/grants}, where a grant can be revoked to see a credential turn INVALID. State lives in memory
 * and dies with the process. Any client id and non-blank secret are accepted.
 *
 * <p>It knows no web server: the host hands it a plain {@link Request} for each of {@link #ROUTES} and renders the
 * {@link Answer} (a page in the host's layout, JSON, a redirect or a refusal). So this module needs the JDK and the
 * SPI only, and the HTTP adapter needs nothing of it; the app mounts one on the other.
 */
public final class SandboxServer {

    public static final String BASE = "/sandbox";

    /** What the host mounts: method and full path of each route. */
    public static final List<Route> ROUTES = List.of(
            new Route("GET", BASE + "/authorize"),
            new Route("POST", BASE + "/authorize"),
            new Route("POST", BASE + "/token"),
            new Route("GET", BASE + "/userinfo"),
            new Route("GET", BASE + "/grants"),
            new Route("POST", BASE + "/grants/revoke"),
            new Route("POST", BASE + "/revoke"));

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;
    private final Map<String, Code> codes = new ConcurrentHashMap<>();
    private final Map<String, Grant> grants = new ConcurrentHashMap<>();
    private final Map<String, Grant> byRefresh = new ConcurrentHashMap<>();
    private final Map<String, Grant> byAccess = new ConcurrentHashMap<>();

    public record Route(String method, String path) {
    }

    /**
     * One request as the host read it.
     *
     * @param form          the {@code application/x-www-form-urlencoded} body of a POST, or empty
     * @param authorization the {@code Authorization} header, or null
     */
    public record Request(String method, String path, Map<String, String> query, Map<String, String> form, String authorization) {
        public Request {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(path, "path");
            query = query == null ? Map.of() : Map.copyOf(query);
            form = form == null ? Map.of() : Map.copyOf(form);
        }
    }

    /** What to send back; the host renders each kind its usual way. */
    public sealed interface Answer permits Page, JsonAnswer, Redirect, Refusal {
    }

    /** An HTML page: {@code html} goes inside the host's page layout, stylesheet and security headers. */
    public record Page(int status, String title, String html) implements Answer {
    }

    public record JsonAnswer(int status, Map<String, Object> body) implements Answer {
    }

    /** A 303 to {@code location}. */
    public record Redirect(String location) implements Answer {
    }

    /** A request the host answers with its problem format. */
    public record Refusal(int status, String detail) implements Answer {
    }

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

    public SandboxServer(Clock clock) {
        this.clock = clock;
    }

    public Answer handle(Request request) {
        return switch (request.method() + " " + request.path()) {
            case "GET " + BASE + "/authorize" -> authorizePage(request.query());
            case "POST " + BASE + "/authorize" -> decide(request.form());
            case "POST " + BASE + "/token" -> token(request);
            case "GET " + BASE + "/userinfo" -> userinfo(request.authorization());
            case "GET " + BASE + "/grants" -> grantsPage();
            case "POST " + BASE + "/grants/revoke" -> revoke(request.form());
            case "POST " + BASE + "/revoke" -> revokeToken(request);
            default -> new Refusal(404, "no such resource");
        };
    }

    private Answer authorizePage(Map<String, String> query) {
        String clientId = query.get("client_id");
        String redirect = query.get("redirect_uri");
        String state = query.get("state");
        String challenge = query.get("code_challenge");
        if (!"code".equals(query.get("response_type")) || clientId == null || redirect == null || origin(redirect) == null) {
            return page(400, "Bad request", "<h1>This sign-in request is malformed</h1><p class=\"lead\">"
                    + "The app sent no client id, no valid redirect URI, or a response type other than <code>code</code>.</p>");
        }
        if (challenge != null && !"S256".equals(query.get("code_challenge_method"))) {
            return page(400, "Bad request", "<h1>Only PKCE S256 is supported</h1>");
        }
        StringBuilder hidden = new StringBuilder();
        for (String[] field : new String[][] {{"client_id", clientId}, {"redirect_uri", redirect}, {"state", state},
                {"code_challenge", challenge}}) {
            if (field[1] != null) {
                hidden.append("<input type=\"hidden\" name=\"").append(field[0]).append("\" value=\"")
                        .append(esc(field[1])).append("\">");
            }
        }
        String scope = query.get("scope");
        return page(200, "Sign in to Sandbox Farm Data",
                "<p class=\"sandbox-note\">Sandbox provider: simulated, for trying Granary out. No real account is involved.</p>"
                        + "<p class=\"eyebrow\">Sandbox Farm Data</p><h1>Allow access to your farm data?</h1>"
                        + "<p class=\"lead\">The app <strong>" + esc(clientId) + "</strong> asks to:</p>"
                        + "<ul class=\"scopes\"><li>Read your fields and boundaries</li><li>Read your field operations</li>"
                        + (scope == null ? "" : "<li>Scopes requested: " + esc(scope) + "</li>") + "</ul>"
                        + "<form method=\"post\" action=\"" + BASE + "/authorize\" class=\"row\">" + hidden
                        + "<button type=\"submit\" name=\"decision\" value=\"approve\">Approve</button>"
                        + "<button class=\"secondary\" type=\"submit\" name=\"decision\" value=\"deny\">Deny</button></form>"
                        + "<p class=\"fineprint\">You will be sent back to " + esc(origin(redirect)) + ".</p>");
    }

    private Answer decide(Map<String, String> form) {
        String redirect = form.get("redirect_uri");
        if (redirect == null || origin(redirect) == null || form.get("client_id") == null) {
            return new Refusal(400, "the form lacks client_id or a valid redirect_uri");
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
        answer.forEach((k, v) -> location.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&'));
        location.setLength(location.length() - 1);
        return new Redirect(location.toString());
    }

    private Answer token(Request request) {
        String clientId = basicClientId(request.authorization());
        if (clientId == null) {
            return oauthError(401, "invalid_client");
        }
        Map<String, String> form = request.form();
        Grant grant;
        if ("authorization_code".equals(form.get("grant_type"))) {
            Code code = form.get("code") == null ? null : codes.remove(form.get("code"));
            if (code == null || code.expires().isBefore(clock.instant()) || !code.clientId().equals(clientId)
                    || !code.redirectUri().equals(form.get("redirect_uri")) || !pkceMatches(code.challenge(), form.get("code_verifier"))) {
                return oauthError(400, "invalid_grant");
            }
            grant = new Grant(clientId, clock.instant());
            grants.put(grant.id, grant);
        } else if ("refresh_token".equals(form.get("grant_type"))) {
            grant = form.get("refresh_token") == null ? null : byRefresh.get(form.get("refresh_token"));
            if (grant == null || grant.revoked || !grant.clientId.equals(clientId) || !form.get("refresh_token").equals(grant.refresh)) {
                return oauthError(400, "invalid_grant");
            }
            grant.rotations++;
        } else {
            return oauthError(400, "unsupported_grant_type");
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
        return new JsonAnswer(200, answer);
    }

    private Answer userinfo(String authorization) {
        Grant grant = authorization != null && authorization.startsWith("Bearer ") ? byAccess.get(authorization.substring(7).trim()) : null;
        if (grant == null || grant.revoked) {
            return oauthError(401, "invalid_token");
        }
        return new JsonAnswer(200, Map.of("sub", grant.id, "name", "Sandbox Grower"));
    }

    private Answer grantsPage() {
        StringBuilder rows = new StringBuilder();
        List<Grant> list = new ArrayList<>(grants.values());
        list.sort((a, b) -> b.created.compareTo(a.created));
        for (Grant g : list) {
            rows.append("<tr><td>").append(esc(g.id)).append("</td><td>").append(esc(g.clientId))
                    .append("</td><td>").append(g.rotations).append("</td><td>").append(g.revoked ? "revoked" : "active")
                    .append("</td><td>");
            if (!g.revoked) {
                rows.append("<form method=\"post\" action=\"").append(BASE).append("/grants/revoke\">")
                        .append("<input type=\"hidden\" name=\"id\" value=\"").append(esc(g.id)).append("\">")
                        .append("<button class=\"danger\" type=\"submit\">Revoke</button></form>");
            }
            rows.append("</td></tr>");
        }
        return page(200, "Sandbox grants", "<p class=\"eyebrow\">Sandbox Farm Data</p><h1>Grants</h1>"
                + "<p class=\"lead\">Revoke a grant to see Granary mark its credential INVALID at the next refresh.</p>"
                + (list.isEmpty() ? "<p>No grants yet.</p>" : "<table><tr><th>Grant</th><th>Client</th><th>Refreshes</th>"
                + "<th>Status</th><th></th></tr>" + rows + "</table>"));
    }

    private Answer revoke(Map<String, String> form) {
        Grant grant = grants.get(String.valueOf(form.get("id")));
        if (grant != null) {
            grant.revoked = true;
        }
        return new Redirect(BASE + "/grants");
    }

    /**
     * RFC 7009 revocation by the client (Granary, after a credential is deleted or replaced): the grant is gone, as
     * from a real provider's list of connected apps. 200 also for a token it does not know (section 2.2).
     */
    private Answer revokeToken(Request request) {
        String clientId = basicClientId(request.authorization());
        if (clientId == null) {
            return oauthError(401, "invalid_client");
        }
        String token = request.form().get("token");
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
        return new JsonAnswer(200, Map.of());
    }

    private static Page page(int status, String title, String content) {
        return new Page(status, title,
                "<div class=\"band\"></div><main class=\"card\">" + content + "</main><footer>Granary sandbox provider</footer>");
    }

    private static Answer oauthError(int status, String error) {
        return new JsonAnswer(status, Map.of("error", error));
    }

    private static boolean pkceMatches(String challenge, String verifier) {
        if (challenge == null) {
            return true;
        }
        if (verifier == null) {
            return false;
        }
        try {
            return MessageDigest.isEqual(Pkce.challenge(verifier).getBytes(StandardCharsets.US_ASCII),
                    challenge.getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException malformedVerifier) {
            return false;
        }
    }

    /** The client id of an HTTP Basic header with a non-blank secret, or null. */
    private static String basicClientId(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String pair = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            if (colon < 1 || colon == pair.length() - 1) {
                return null;
            }
            return URLDecoder.decode(pair.substring(0, colon), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The origin of an http(s) redirect URI, or null if it is not one. */
    private static String origin(String url) {
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

    /** Escapes text for HTML element content and double-quoted attributes. */
    private static String esc(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (char c : text.toCharArray()) {
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

    private static String token(int bytes) {
        byte[] buffer = new byte[bytes];
        RANDOM.nextBytes(buffer);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer);
    }
}
