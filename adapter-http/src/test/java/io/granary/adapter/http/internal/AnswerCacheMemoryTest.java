package io.granary.adapter.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.granary.adapter.http.RequestObserver;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Kept answers hold access tokens in clear: those that can never be sent again must not stay in memory. */
final class AnswerCacheMemoryTest {

    private static final String TEMPLATE = "/users/{userId}/{suffix}";
    private static final byte[] BODY = "{\"accessToken\":\"at-1\"}".getBytes(StandardCharsets.UTF_8);

    private final AtomicLong stamp = new AtomicLong(1);
    private final AnswerCache cache = new AnswerCache(stamp::get, 1 << 20, Clock.systemUTC(), TEMPLATE, RequestObserver.NONE);
    private final Tokens tokens = new Tokens("0123456789abcdef0123456789abcdef-test-secret".getBytes(StandardCharsets.UTF_8), Clock.systemUTC());
    private final Authentication auth = new Authentication(null, tokens, null, null);
    private final UUID owner = UUID.randomUUID();
    private final String token = tokens.issue(owner, false);

    /** A GET the route answers by keeping (or not) its answer; the route's own work is not the point here. */
    private void get(String path, boolean routeKeeps) throws Exception {
        HttpHandler route = exchange -> {
            if (routeKeeps) {
                cache.keep(exchange, owner, null, BODY);
            }
        };
        cache.inFrontOf(route, auth).handleRequest(request(path));
    }

    private HttpServerExchange request(String path) {
        HttpServerExchange exchange = new HttpServerExchange(null);
        exchange.setRequestMethod(Methods.GET);
        exchange.setRelativePath(path);
        exchange.getRequestHeaders().put(Headers.AUTHORIZATION, "Bearer " + token);
        return exchange;
    }

    @Test
    void theFirstRequestToSeeANewStamp_dropsEveryAnswerKeptUnderOlderOnes() throws Exception {
        get("/users/a/x", true);
        get("/users/b/x", true);
        assertEquals(2, cache.keptAnswers());
        stamp.incrementAndGet();
        get("/users/c/x", false);
        assertEquals(0, cache.keptAnswers());
    }

    @Test
    void anAnswerMadeUnderAStampThatIsNoLongerNewest_isNotKept() throws Exception {
        AtomicReference<HttpServerExchange> slow = new AtomicReference<>();
        cache.inFrontOf(slow::set, auth).handleRequest(request("/users/a/x")); // looked up under stamp 1, still running
        stamp.incrementAndGet();
        get("/users/b/x", false); // another request sees stamp 2
        cache.keep(slow.get(), owner, null, BODY); // the slow one finishes
        assertEquals(0, cache.keptAnswers());
    }
}
