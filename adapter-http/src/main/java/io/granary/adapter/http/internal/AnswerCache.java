package io.granary.adapter.http.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Scheduler;
import io.granary.adapter.http.RequestObserver;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Methods;
import io.undertow.util.PathTemplateMatch;
import io.undertow.util.PathTemplateMatcher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Answers to {@code GET} of a credential, kept in memory and sent again straight from the IO thread, with no
 * database read and no hand-over to a worker thread, for as long as they are exactly what the route would answer.
 *
 * <p>An answer is kept together with the storage's change stamp taken <em>before</em> the route read anything, and
 * is sent again only while the stamp is unchanged: any commit, by this process or another (the {@code owners}
 * command disabling an owner), changes it, so what was stored is what is sent (the stamp's source says how soon it
 * sees another process's commits; SQLite's, within a millisecond). The token is still checked on every
 * request (signature, expiry); the owner being active was checked when the answer was made and cannot have changed
 * without a commit. Time is the one other input: a read refreshes a credential whose token is about to expire, so
 * an answer is kept only until that moment. The key includes the owner, so one owner never gets another's answer.
 * Every change empties the cache (the first request to see the new stamp drops every kept answer, tokens and all),
 * so it helps where reads outnumber writes.
 */
final class AnswerCache {

    /** No caching: every request goes to the route. */
    static final AnswerCache OFF = new AnswerCache();

    private static final AttachmentKey<Pending> PENDING = AttachmentKey.create(Pending.class);
    /** Longest an answer is kept, whatever else: it may hold an access token. */
    static final Duration MAX_KEEP = Duration.ofMinutes(10);
    /** Rough bytes a kept answer costs beyond its body: key, record, the cache's own node. */
    private static final int ENTRY_OVERHEAD = 160;

    private record Key(UUID owner, String path) { }

    private record Answer(long stamp, long keepUntilMillis, PathTemplateMatch route, byte[] body) { }

    /** What a request that found no usable answer carries to the route, so the route can keep its answer. */
    private record Pending(Key key, long stamp) { }

    private final Cache<Key, Answer> answers;
    /** The newest stamp a request has seen (stamps grow; one taken in a race may be older, which costs a miss). */
    private final AtomicLong newestStamp = new AtomicLong(Long.MIN_VALUE);
    private final LongSupplier changeStamps;
    private final PathTemplateMatcher<String> cacheable = new PathTemplateMatcher<>();
    private final Clock clock;
    private final RequestObserver observer;

    private AnswerCache() {
        this.answers = null;
        this.changeStamps = null;
        this.clock = null;
        this.observer = null;
    }

    /**
     * @param changeStamps differs from every earlier value once anything stored changed, in any process; cheap
     *                     enough to ask on every request and never blocking (it runs on IO threads)
     * @param maxBytes     memory the kept answers may take, roughly
     * @param template     the route whose answers may be kept
     * @param observer     told of each answer sent from memory
     */
    AnswerCache(LongSupplier changeStamps, long maxBytes, Clock clock, String template, RequestObserver observer) {
        this.answers = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((Key key, Answer answer) -> ENTRY_OVERHEAD + 2 * key.path().length() + answer.body().length)
                // Answers carry access tokens in clear: none stays in memory long after it could be sent.
                .expireAfterWrite(MAX_KEEP)
                .scheduler(Scheduler.systemScheduler())
                .build();
        this.changeStamps = changeStamps;
        this.clock = clock;
        this.observer = observer;
        cacheable.add(template, template);
    }

    /** Runs on the IO thread in front of {@code route}: answers from memory if it can, else hands over to the route. */
    HttpHandler inFrontOf(HttpHandler route, Authentication auth) {
        if (answers == null) {
            return route;
        }
        return exchange -> {
            if (!answeredFromMemory(exchange, auth)) {
                route.handleRequest(exchange);
            }
        };
    }

    private boolean answeredFromMemory(HttpServerExchange exchange, Authentication auth) {
        if (!Methods.GET.equals(exchange.getRequestMethod()) || cacheable.match(exchange.getRelativePath()) == null) {
            return false;
        }
        UUID owner = auth.tokenOwner(exchange);
        if (owner == null) {
            return false; // the route gives the 401 and says why
        }
        Key key = new Key(owner, exchange.getRelativePath());
        Answer answer = answers.getIfPresent(key);
        long stamp = changeStamps.getAsLong();
        long newest = newestStamp.get();
        if (stamp > newest && newestStamp.compareAndSet(newest, stamp)) {
            answers.invalidateAll(); // all kept under older stamps: none can be sent again, so drop their tokens now
            answer = null;
        }
        if (answer != null && answer.stamp() == stamp && clock.millis() < answer.keepUntilMillis()) {
            exchange.putAttachment(PathTemplateMatch.ATTACHMENT_KEY, answer.route()); // for the access log and metrics
            observer.answeredFromMemory();
            Json.send(exchange, 200, answer.body());
            return true;
        }
        exchange.putAttachment(PENDING, new Pending(key, stamp));
        return false;
    }

    /** Answers kept now (for tests). */
    long keptAnswers() {
        answers.cleanUp();
        return answers.estimatedSize();
    }

    /**
     * Called by the route with its 200 answer for {@code owner}; kept if this request found no usable answer.
     *
     * @param refreshFrom from when reading the credential again would refresh it first; null for never
     */
    void keep(HttpServerExchange exchange, UUID owner, Instant refreshFrom, byte[] body) {
        Pending pending = exchange.getAttachment(PENDING);
        if (pending == null || !pending.key().owner().equals(owner) || pending.stamp() < newestStamp.get()) {
            return; // not looked up, another owner's, or already out of date
        }
        long keepUntil = refreshFrom == null ? Long.MAX_VALUE : refreshFrom.toEpochMilli();
        if (clock.millis() < keepUntil) {
            PathTemplateMatch route = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
            answers.put(pending.key(), new Answer(pending.stamp(), keepUntil, route, body));
        }
    }
}
