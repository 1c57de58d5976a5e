package io.granary.adapter.http.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import io.granary.adapter.http.RequestObserver;
import io.granary.core.port.out.ChangeFeed;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Methods;
import io.undertow.util.PathTemplateMatch;
import io.undertow.util.PathTemplateMatcher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Answers to {@code GET} of a credential, kept in memory and sent again straight from the IO thread, with no
 * database read and no hand-over to a worker thread, for as long as they are exactly what the route would answer.
 *
 * <p>Storage's {@link ChangeFeed} says which credentials and owners changed, committed by this process or another
 * (the {@code owners} command disabling an owner); each request first lets it catch up, so what was stored is what
 * is sent (the feed's implementation says how soon it hears of another process's commits; SQLite's, within a
 * millisecond; PostgreSQL's, within milliseconds and 3 s at worst). Only the answers of what changed are dropped: writes elsewhere leave the rest in place.
 *
 * <p>Why no kept answer can be stale: each change told gets a number from one counter, written into a stripe chosen
 * by the credential's (or owner's) id. An answer carries the counter's value read <em>before</em> the route read
 * the credential, and is sent only while neither its credential's stripe nor its owner's moved past it. A change
 * committed after the route's read is told after that value was read, so it lands above it; stripes are shared, so
 * a change may also retire an unrelated answer, which only costs a read. Answers of what changed are also removed
 * at once when the cache can find them, so that the access tokens they hold do not linger.
 *
 * <p>The token is still checked on every request (signature, expiry); the owner being active was checked when the
 * answer was made, and a change of the owner retires it. Time is the one other input: a read refreshes a credential
 * whose token is about to expire, so an answer is kept only until that moment. The key includes the owner, so one
 * owner never gets another's answer.
 */
final class AnswerCache implements ChangeFeed.Listener {

    /** No caching: every request goes to the route. */
    static final AnswerCache OFF = new AnswerCache();

    private static final AttachmentKey<Pending> PENDING = AttachmentKey.create(Pending.class);
    /** Longest an answer is kept, whatever else: it may hold an access token. */
    static final Duration MAX_KEEP = Duration.ofMinutes(10);
    /** Rough bytes a kept answer costs beyond its body: key, record, the cache's own node, its index entry. */
    private static final int ENTRY_OVERHEAD = 220;
    /** Stripes of change numbers: 128 KB; a change retires about 1/16,384 of the unrelated answers. */
    private static final int STRIPES = 1 << 14;

    private record Key(UUID owner, String path) {
        // Written out: a record's generated equals and hashCode go through an invokedynamic bootstrap that showed in
        // the profile of the hit path (~2 %).
        @Override
        public boolean equals(Object other) {
            return other instanceof Key k && owner.equals(k.owner) && path.equals(k.path);
        }

        @Override
        public int hashCode() {
            return 31 * owner.hashCode() + path.hashCode();
        }
    }

    private record Answer(UUID credential, long changesSeen, long keepUntilMillis, PathTemplateMatch route, byte[] body) { }

    /** What a request that found no usable answer carries to the route, so the route can keep its answer. */
    private record Pending(Key key, long changesSeen) { }

    private final Cache<Key, Answer> answers;
    /** Where each kept credential's answer is, to drop it at once when it changes (correctness needs only the stripes). */
    private final Map<UUID, Key> byCredential = new ConcurrentHashMap<>();
    private final AtomicLong changes = new AtomicLong();
    private final AtomicLongArray stripes = new AtomicLongArray(STRIPES);
    /** The change number of the last "anything may have changed". */
    private volatile long everything;
    private final ChangeFeed feed;
    private final PathTemplateMatcher<String> cacheable = new PathTemplateMatcher<>();
    private final Clock clock;
    private final RequestObserver observer;

    private AnswerCache() {
        this.answers = null;
        this.feed = null;
        this.clock = null;
        this.observer = null;
    }

    /**
     * @param feed     tells which credentials and owners changed; caught up with on every request, so it must be cheap
     *                 and never block (it runs on IO threads). This cache listens to it.
     * @param maxBytes memory the kept answers may take, roughly
     * @param template the route whose answers may be kept
     * @param observer told of each answer sent from memory
     */
    AnswerCache(ChangeFeed feed, long maxBytes, Clock clock, String template, RequestObserver observer) {
        this.answers = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((Key key, Answer answer) -> ENTRY_OVERHEAD + 2 * key.path().length() + answer.body().length)
                // Answers carry access tokens in clear: none stays in memory long after it could be sent.
                .expireAfterWrite(MAX_KEEP)
                .scheduler(Scheduler.systemScheduler())
                // May run late and remove a newer entry's index: that only skips an early removal, never a refusal.
                .removalListener((Key key, Answer answer, RemovalCause cause) -> {
                    if (key != null && answer != null) {
                        byCredential.remove(answer.credential(), key);
                    }
                })
                .build();
        this.feed = feed;
        this.clock = clock;
        this.observer = observer;
        cacheable.add(template, template);
        feed.listen(this);
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
        feed.catchUp(); // every change committed before now is told, so the stripes below cover it
        long seen = changes.get(); // before the route reads anything
        Key key = new Key(owner, exchange.getRelativePath());
        Answer answer = answers.getIfPresent(key);
        if (answer != null && clock.millis() < answer.keepUntilMillis() && unchangedSince(answer.credential(), owner, answer.changesSeen())) {
            exchange.putAttachment(PathTemplateMatch.ATTACHMENT_KEY, answer.route()); // for the access log and metrics
            observer.answeredFromMemory();
            Json.send(exchange, 200, answer.body());
            return true;
        }
        exchange.putAttachment(PENDING, new Pending(key, seen));
        return false;
    }

    private boolean unchangedSince(UUID credential, UUID owner, long seen) {
        return everything <= seen && stripes.get(stripe(credential)) <= seen && stripes.get(stripe(owner)) <= seen;
    }

    private static int stripe(UUID id) {
        long h = id.getMostSignificantBits() ^ id.getLeastSignificantBits();
        return (int) (h ^ (h >>> 32)) & (STRIPES - 1);
    }

    /** Answers kept now (for tests). */
    long keptAnswers() {
        answers.cleanUp();
        return answers.estimatedSize();
    }

    /**
     * Called by the route with its 200 answer for {@code owner}; kept if this request found no usable answer.
     *
     * @param credential  the credential the answer shows
     * @param refreshFrom from when reading the credential again would refresh it first; null for never
     */
    void keep(HttpServerExchange exchange, UUID owner, UUID credential, Instant refreshFrom, byte[] body) {
        Pending pending = exchange.getAttachment(PENDING);
        if (pending == null || !pending.key().owner().equals(owner)) {
            return; // not looked up, or another owner's
        }
        long keepUntil = refreshFrom == null ? Long.MAX_VALUE : refreshFrom.toEpochMilli();
        if (clock.millis() < keepUntil && unchangedSince(credential, owner, pending.changesSeen())) {
            PathTemplateMatch route = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
            Answer answer = new Answer(credential, pending.changesSeen(), keepUntil, route, body);
            byCredential.put(credential, pending.key());
            answers.put(pending.key(), answer);
            if (!unchangedSince(credential, owner, pending.changesSeen())) { // told meanwhile: no token left behind
                answers.asMap().remove(pending.key(), answer);
            }
        }
    }

    @Override
    public void credentialChanged(UUID credentialId) {
        retire(credentialId);
        Key key = byCredential.get(credentialId);
        if (key != null) {
            answers.invalidate(key);
        }
    }

    @Override
    public void ownerChanged(UUID ownerId) {
        retire(ownerId);
        answers.asMap().keySet().removeIf(key -> key.owner().equals(ownerId)); // rare: the owners command
    }

    @Override
    public void anythingMayHaveChanged() {
        everything = changes.incrementAndGet();
        answers.invalidateAll();
    }

    private void retire(UUID id) {
        long number = changes.incrementAndGet();
        stripes.accumulateAndGet(stripe(id), number, Math::max);
    }
}
