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
import io.granary.core.port.out.ChangeFeed;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Kept answers hold access tokens in clear: those that can never be sent again must not stay in memory; and one read
 * before a change was told must never be kept (the race between a route's read and a commit).
 */
final class AnswerCacheMemoryTest {

    private static final String TEMPLATE = "/users/{userId}/{suffix}";
    private static final byte[] BODY = "{\"accessToken\":\"at-1\"}".getBytes(StandardCharsets.UTF_8);

    /** Changes told at the next catch-up, as storage's feed does. */
    private final List<Consumer<ChangeFeed.Listener>> told = new ArrayList<>();
    private final List<ChangeFeed.Listener> listeners = new ArrayList<>();
    private final ChangeFeed feed = new ChangeFeed() {
        @Override
        public void listen(Listener listener) {
            listeners.add(listener);
        }

        @Override
        public void catchUp() {
            told.forEach(listeners::forEach);
            told.clear();
        }
    };
    private final AtomicInteger sentFromMemory = new AtomicInteger();
    private final AnswerCache cache = new AnswerCache(feed, 1 << 20, Clock.systemUTC(), TEMPLATE, new RequestObserver() {
        @Override
        public void requestFinished(String method, String route, int status, long nanos) {
        }

        @Override
        public void answeredFromMemory() {
            sentFromMemory.incrementAndGet();
        }
    });
    private final Tokens tokens = new Tokens("0123456789abcdef0123456789abcdef-test-secret".getBytes(StandardCharsets.UTF_8), Clock.systemUTC());
    private final Authentication auth = new Authentication(null, null, tokens, null, null);
    private final UUID owner = UUID.randomUUID();
    private final String token = tokens.issue(owner, false);
    private final UUID a = UUID.randomUUID();
    private final UUID b = UUID.randomUUID();

    /** A GET the route answers by keeping (or not) its answer; the route's own work is not the point here. */
    private void get(String path, UUID credential, boolean routeKeeps) throws Exception {
        HttpHandler route = exchange -> {
            if (routeKeeps) {
                cache.keep(exchange, owner, credential, null, BODY);
            }
        };
        try {
            cache.inFrontOf(route, auth).handleRequest(request(path));
        } catch (NullPointerException sentFromMemory) {
            // The bare exchange has no connection to send a kept answer on; the observer counted it just before.
        }
    }

    private HttpServerExchange request(String path) {
        HttpServerExchange exchange = new HttpServerExchange(null);
        exchange.setRequestMethod(Methods.GET);
        exchange.setRelativePath(path);
        exchange.getRequestHeaders().put(Headers.AUTHORIZATION, "Bearer " + token);
        return exchange;
    }

    @Test
    void aChangedCredential_hasItsAnswerDroppedAtOnce_andTheOthersStay() throws Exception {
        get("/users/a/x", a, true);
        get("/users/b/x", b, true);
        assertEquals(2, cache.keptAnswers());
        told.add(l -> l.credentialChanged(a));
        get("/users/c/x", UUID.randomUUID(), false); // any request catches up
        assertEquals(1, cache.keptAnswers());
    }

    @Test
    void aChangedOwner_hasAllItsAnswersDropped() throws Exception {
        get("/users/a/x", a, true);
        get("/users/b/x", b, true);
        told.add(l -> l.ownerChanged(owner));
        get("/users/c/x", UUID.randomUUID(), false);
        assertEquals(0, cache.keptAnswers());
    }

    @Test
    void whenAnythingMayHaveChanged_everyAnswerIsDropped() throws Exception {
        get("/users/a/x", a, true);
        get("/users/b/x", b, true);
        told.add(ChangeFeed.Listener::anythingMayHaveChanged);
        get("/users/c/x", UUID.randomUUID(), false);
        assertEquals(0, cache.keptAnswers());
    }

    @Test
    void anAnswerReadBeforeItsCredentialsChangeWasTold_isNeverSent() throws Exception {
        AtomicReference<HttpServerExchange> slow = new AtomicReference<>();
        cache.inFrontOf(slow::set, auth).handleRequest(request("/users/a/x")); // looked up, its route still reading
        told.add(l -> l.credentialChanged(a)); // committed after that read
        get("/users/b/x", b, true); // another request catches up
        cache.keep(slow.get(), owner, a, null, BODY); // the slow one finishes with what it read before the change
        assertEquals(1, cache.keptAnswers(), "only b's");
        get("/users/a/x", a, false);
        assertEquals(0, sentFromMemory.get());
    }

    @Test
    void anAnswerReadBeforeAnotherCredentialsChange_isKeptAndSent() throws Exception {
        AtomicReference<HttpServerExchange> slow = new AtomicReference<>();
        cache.inFrontOf(slow::set, auth).handleRequest(request("/users/a/x"));
        told.add(l -> l.credentialChanged(b));
        get("/users/b/x", b, false);
        cache.keep(slow.get(), owner, a, null, BODY);
        get("/users/a/x", a, false);
        assertEquals(1, sentFromMemory.get());
    }
}
