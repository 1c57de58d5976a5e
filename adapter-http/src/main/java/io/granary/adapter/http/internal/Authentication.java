package io.granary.adapter.http.internal;

import io.granary.core.domain.ApiOwner;
import io.granary.core.port.in.AuthenticateOwnerUseCase;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Login ({@code POST /api/authenticate}) and the bearer check in front of every other route. */
final class Authentication {

    /** Each route that needs an owner receives the authenticated owner's id. */
    interface OwnerHandler {
        void handle(HttpServerExchange exchange, UUID ownerId) throws Exception;
    }

    private static final int MAX_CREDENTIAL_LENGTH = 1024;

    private final AuthenticateOwnerUseCase owners;
    private final ActiveOwners active;
    private final Tokens tokens;
    private final LoginThrottle throttle;
    private final Json json;

    Authentication(AuthenticateOwnerUseCase owners, ActiveOwners active, Tokens tokens, LoginThrottle throttle, Json json) {
        this.owners = owners;
        this.active = active;
        this.tokens = tokens;
        this.throttle = throttle;
        this.json = json;
    }

    void login(HttpServerExchange exchange) {
        Map<String, Object> body = json.readObject(exchange);
        String username = text(body, "username");
        String password = text(body, "password");
        boolean rememberMe = rememberMe(body.get("rememberMe"));
        String address = exchange.getSourceAddress().getAddress().getHostAddress();

        Optional<java.time.Duration> wait = throttle.blocked(username, address);
        if (wait.isPresent()) {
            throw new TooManyAttempts(wait.get()); // checked before the password, so guessing learns nothing
        }
        Optional<ApiOwner> owner = owners.authenticate(username, password).filter(o -> !o.disabled());
        if (owner.isEmpty()) {
            throttle.failed(username, address);
            throw Problem.unauthorized("wrong username or password");
        }
        throttle.succeeded(username);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id_token", tokens.issue(owner.get().id(), rememberMe));
        json.send(exchange, 200, answer);
    }

    /** Checks the bearer token and that its owner is still active, on every request ({@link ActiveOwners}: disabling bites at once). */
    io.undertow.server.HttpHandler owned(OwnerHandler handler) {
        return new Owned(exchange -> handler.handle(exchange, requireOwner(exchange)));
    }

    /** A route that requires the bearer token: the OpenAPI description marks it secured. */
    record Owned(io.undertow.server.HttpHandler checked) implements io.undertow.server.HttpHandler {
        @Override
        public void handleRequest(HttpServerExchange exchange) throws Exception {
            checked.handleRequest(exchange);
        }
    }

    /**
     * The owner a valid bearer token names, or null for anything else, without saying why: for answers that were
     * already checked against the owner being active (see {@link AnswerCache}); every other route uses {@link #owned}.
     */
    UUID tokenOwner(HttpServerExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        return isBearer(header) ? verifiedOwner(exchange, header) : null;
    }

    /**
     * A client sends one token over and over on a kept-alive connection: the connection remembers the last valid one
     * it sent, so a repeat is one string comparison and an expiry check instead of a lookup keyed by the whole token.
     */
    private UUID verifiedOwner(HttpServerExchange exchange, String header) {
        ServerConnection connection = exchange.getConnection(); // null only for exchanges built by hand
        LastBearer last = connection == null ? null : connection.getAttachment(LAST_BEARER);
        if (last != null && last.header().equals(header) && tokens.unexpired(last.token())) {
            return last.token().ownerId();
        }
        Tokens.Verified token = tokens.verified(header.substring(7).trim());
        if (token == null) {
            return null;
        }
        if (connection != null) {
            connection.putAttachment(LAST_BEARER, new LastBearer(header, token));
        }
        return token.ownerId();
    }

    /** Only ever a valid token; one HTTP/1.1 connection serves one request at a time, so no two threads share it. */
    private record LastBearer(String header, Tokens.Verified token) { }

    private static final AttachmentKey<LastBearer> LAST_BEARER = AttachmentKey.create(LastBearer.class);

    private UUID requireOwner(HttpServerExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (header == null) {
            throw Problem.unauthorized("a bearer token is required");
        }
        if (!isBearer(header)) {
            throw Problem.unauthorized("the Authorization header must be 'Bearer <token>'");
        }
        UUID ownerId = verifiedOwner(exchange, header);
        if (ownerId == null || !active.isActive(ownerId)) {
            throw Problem.unauthorized("the bearer token is invalid or expired");
        }
        return ownerId;
    }

    private static boolean isBearer(String header) {
        return header != null && header.length() >= 7 && header.regionMatches(true, 0, "Bearer ", 0, 7);
    }

    private static String text(Map<String, Object> body, String name) {
        Object value = body.get(name);
        if (value == null) {
            throw Problem.badField(name, "'" + name + "' is required");
        }
        if (!(value instanceof String s)) {
            throw Problem.badField(name, "'" + name + "' must be a string");
        }
        if (s.length() > MAX_CREDENTIAL_LENGTH) {
            throw Problem.badField(name, "'" + name + "' is too long");
        }
        return s;
    }

    /** Leaf's clients send rememberMe as a JSON boolean or as the string "true"/"false". */
    private static boolean rememberMe(Object value) {
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if ("true".equals(value) || "false".equals(value)) {
            return Boolean.parseBoolean((String) value);
        }
        throw Problem.badField("rememberMe", "'rememberMe' must be true or false");
    }
}
