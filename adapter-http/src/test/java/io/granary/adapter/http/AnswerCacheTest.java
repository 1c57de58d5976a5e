package io.granary.adapter.http;

import static io.granary.adapter.http.TestApi.SUFFIX;
import static io.granary.adapter.http.TestApi.USERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.domain.Credential;
import io.granary.testkit.FakeTokenServer;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * GET credential answers kept in memory. The in-memory stores have no change feed, so each test drives one
 * ({@link ManualChangeFeed}) and changes things behind the API's back (through the core services, not HTTP) to see
 * exactly when a kept answer is sent and when the route answers. The SQLite feed itself is tested in adapter-sqlite;
 * the two together in the ITs.
 */
final class AnswerCacheTest {

    private final ManualChangeFeed feed = new ManualChangeFeed();
    private final MovableClock clock = new MovableClock();
    private final List<String> fromMemory = new CopyOnWriteArrayList<>();
    private final List<String> routes = new CopyOnWriteArrayList<>();

    private TestApi caching(boolean revealSecrets) {
        return TestApi.configured(b -> b.answerCache(feed, 1 << 20).clock(clock).revealSecrets(revealSecrets)
                .requestObserver(new RequestObserver() {
                    @Override
                    public void requestFinished(String method, String route, int status, long nanos) {
                        routes.add(method + " " + route + " " + status);
                    }

                    @Override
                    public void answeredFromMemory() {
                        fromMemory.add("hit");
                    }
                }));
    }

    private record Scene(String token, UUID owner, UUID user, String path) { }

    /** An owner, a user and a credential attached through the API (PROCESSING: nothing validates it here). */
    private static Scene scene(TestApi t, String email) {
        String token = t.ownerToken(email);
        UUID owner = t.core.owners.list().stream().filter(o -> o.email().equals(email)).findFirst().orElseThrow().id();
        String user = t.createUser(token, "Ann", "ann@farm.io");
        String path = USERS + "/" + user + "/" + SUFFIX;
        HttpResponse<String> created = t.send("POST", path, token, "{\"clientId\":\"" + FakeTokenServer.CLIENT_ID
                + "\",\"clientSecret\":\"" + FakeTokenServer.CLIENT_SECRET + "\",\"refreshToken\":\"" + t.tokenServer.newGrant() + "\"}");
        assertEquals(201, created.statusCode(), created.body());
        return new Scene(token, owner, UUID.fromString(user), path);
    }

    @Test
    void aRepeatedGet_isAnsweredFromMemory_untilItsCredentialChanges() {
        try (TestApi t = caching(false)) {
            Scene s = scene(t, "o@farm.io");
            HttpResponse<String> first = t.send("GET", s.path, s.token, null);
            assertEquals(200, first.statusCode());
            UUID credential = credentialId(t, s);
            t.core.credentials.detach(s.owner, s.user, SUFFIX); // behind the API's back, and not told yet

            HttpResponse<String> kept = t.send("GET", s.path, s.token, null);
            assertEquals(200, kept.statusCode(), "nothing said the credential changed, so the kept answer is sent");
            assertEquals(first.body(), kept.body());
            assertEquals(1, fromMemory.size());

            feed.credentialChanged(credential);
            TestApi.problem(t.send("GET", s.path, s.token, null), 404);
            assertEquals(1, fromMemory.size());
        }
    }

    @Test
    void aChangeOfAnotherCredential_leavesTheKeptAnswer() {
        try (TestApi t = caching(false)) {
            Scene a = scene(t, "o@farm.io");
            Scene b = secondCredential(t, a);
            assertEquals(200, t.send("GET", a.path, a.token, null).statusCode());
            assertEquals(200, t.send("GET", b.path, b.token, null).statusCode());
            UUID credentialB = credentialId(t, b);
            t.core.credentials.detach(b.owner, b.user, SUFFIX);
            feed.credentialChanged(credentialB);

            assertEquals(200, t.send("GET", a.path, a.token, null).statusCode());
            assertEquals(1, fromMemory.size(), "A is still sent from memory after B changed");
            TestApi.problem(t.send("GET", b.path, b.token, null), 404);
            assertEquals(1, fromMemory.size());
        }
    }

    @Test
    void aWriteThroughTheApi_isSeenByTheNextRead() {
        try (TestApi t = caching(false)) {
            Scene s = scene(t, "o@farm.io");
            assertEquals(200, t.send("GET", s.path, s.token, null).statusCode());
            UUID credential = credentialId(t, s);
            assertEquals(204, t.send("DELETE", s.path, s.token, null).statusCode());
            feed.credentialChanged(credential); // what storage's feed tells of the delete before its caller is answered
            TestApi.problem(t.send("GET", s.path, s.token, null), 404);
            assertTrue(fromMemory.isEmpty());
        }
    }

    @Test
    void whenChangesMayHaveBeenMissed_nothingKeptIsSent() {
        try (TestApi t = caching(false)) {
            Scene a = scene(t, "o@farm.io");
            assertEquals(200, t.send("GET", a.path, a.token, null).statusCode());
            t.core.credentials.detach(a.owner, a.user, SUFFIX);
            feed.anythingMayHaveChanged();
            TestApi.problem(t.send("GET", a.path, a.token, null), 404);
            assertTrue(fromMemory.isEmpty());
        }
    }

    /** The same owner's second user, with a credential of its own. */
    private static Scene secondCredential(TestApi t, Scene first) {
        String user = t.createUser(first.token, "Bob", "bob@farm.io");
        String path = USERS + "/" + user + "/" + SUFFIX;
        HttpResponse<String> created = t.send("POST", path, first.token, "{\"clientId\":\"" + FakeTokenServer.CLIENT_ID
                + "\",\"clientSecret\":\"" + FakeTokenServer.CLIENT_SECRET + "\",\"refreshToken\":\"" + t.tokenServer.newGrant() + "\"}");
        assertEquals(201, created.statusCode(), created.body());
        return new Scene(first.token, first.owner, UUID.fromString(user), path);
    }

    private static UUID credentialId(TestApi t, Scene s) {
        return t.core.credentials.getWithoutRefresh(s.owner, s.user, SUFFIX).orElseThrow().id();
    }

    @Test
    void aKeptAnswer_looksExactlyLikeTheRoutesAnswer_andIsCountedUnderItsRoute() throws InterruptedException {
        try (TestApi t = caching(false)) {
            Scene s = scene(t, "o@farm.io");
            HttpResponse<String> first = t.send("GET", s.path, s.token, null);
            HttpResponse<String> kept = t.send("GET", s.path, s.token, null);
            assertEquals(1, fromMemory.size());
            assertEquals(first.body(), kept.body());
            assertEquals(headers(first), headers(kept));
            String route = "GET " + USERS + "/{userId}/{suffix} 200";
            assertEquals(List.of(route, route), finishedGets(2));
        }
    }

    @Test
    void aDisabledOwner_isRefused_onceTheStoreSaysTheOwnerChanged() {
        try (TestApi t = caching(false)) {
            Scene s = scene(t, "o@farm.io");
            assertEquals(200, t.send("GET", s.path, s.token, null).statusCode());
            assertEquals(200, t.send("GET", s.path, s.token, null).statusCode());
            t.core.owners.setDisabled("o@farm.io", true);
            feed.ownerChanged(s.owner); // what SQLite's feed tells of the owners command's commit
            TestApi.problem(t.send("GET", s.path, s.token, null), 401);
        }
    }

    @Test
    void aDisabledOwner_isRefusedWithinASecond_evenIfTheFeedMissedIt() throws InterruptedException {
        try (TestApi t = caching(false)) {
            Scene s = scene(t, "o@farm.io");
            assertEquals(200, t.send("GET", s.path + "/events", s.token, null).statusCode()); // an uncached route
            t.core.owners.setDisabled("o@farm.io", true); // and the feed never tells
            long disabled = System.nanoTime();
            int status;
            while ((status = t.send("GET", s.path + "/events", s.token, null).statusCode()) == 200
                    && System.nanoTime() - disabled < Duration.ofSeconds(3).toNanos()) {
                Thread.sleep(20);
            }
            assertEquals(401, status);
            assertTrue(System.nanoTime() - disabled < Duration.ofMillis(1_500).toNanos(), "refused within the second the flag is kept");
        }
    }

    @Test
    void theTokenIsCheckedOnEveryRequest_evenWithAnAnswerKept() {
        try (TestApi t = caching(false)) {
            Scene s = scene(t, "o@farm.io");
            assertEquals(200, t.send("GET", s.path, s.token, null).statusCode());
            assertEquals(200, t.send("GET", s.path, s.token, null).statusCode());
            assertEquals(1, fromMemory.size(), "kept: a PROCESSING credential has no expiry to refresh on");
            clock.advance(Duration.ofHours(25)); // the token lives 24 hours
            TestApi.problem(t.send("GET", s.path, s.token, null), 401);
            TestApi.problem(t.send("GET", s.path, "not-a-token", null), 401);
            assertEquals(1, fromMemory.size());
        }
    }

    @Test
    void anotherOwner_neverGetsAKeptAnswer() {
        try (TestApi t = caching(false)) {
            Scene s = scene(t, "o@farm.io");
            assertEquals(200, t.send("GET", s.path, s.token, null).statusCode());
            String mallory = t.ownerToken("mallory@farm.io");
            TestApi.problem(t.send("GET", s.path, mallory, null), 404);
            assertEquals(200, t.send("GET", s.path, s.token, null).statusCode());
            assertEquals(1, fromMemory.size());
        }
    }

    @Test
    void anAnswerIsKeptOnlyUntilAReadWouldRefreshTheCredential() {
        try (TestApi t = caching(false)) {
            Scene s = scene(t, "o@farm.io");
            Credential valid = t.core.credentials.refreshNow(s.owner, s.user, SUFFIX); // VALID, token for an hour
            Instant refreshOnRead = t.core.credentials.refreshOnReadFrom(valid);
            assertEquals(200, t.send("GET", s.path, s.token, null).statusCode());
            t.core.credentials.detach(s.owner, s.user, SUFFIX);

            clock.set(refreshOnRead.minusSeconds(1));
            assertEquals(200, t.send("GET", s.path, s.token, null).statusCode(), "kept a second before");
            clock.set(refreshOnRead);
            TestApi.problem(t.send("GET", s.path, s.token, null), 404); // the route, which would have refreshed
            assertEquals(1, fromMemory.size());
        }
    }

    @Test
    void anAnswerThatCameFromARefresh_isNotKept() {
        try (TestApi t = caching(false)) {
            Scene s = scene(t, "o@farm.io");
            t.tokenServer.expiresIn(Duration.ofMinutes(2)); // inside the 5-minute margin: the next read refreshes
            t.core.credentials.refreshNow(s.owner, s.user, SUFFIX);
            t.tokenServer.expiresIn(Duration.ofHours(1));
            assertEquals(200, t.send("GET", s.path, s.token, null).statusCode()); // refreshed, now good for an hour
            t.core.credentials.detach(s.owner, s.user, SUFFIX);
            // A refresh's result may have been read before the request's stamp (a joined refresh): never kept.
            TestApi.problem(t.send("GET", s.path, s.token, null), 404);
            assertTrue(fromMemory.isEmpty());
        }
    }

    @Test
    void withSecretsRevealed_nothingIsKept() {
        try (TestApi t = caching(true)) {
            Scene s = scene(t, "o@farm.io");
            assertEquals(200, t.send("GET", s.path, s.token, null).statusCode());
            t.core.credentials.detach(s.owner, s.user, SUFFIX);
            TestApi.problem(t.send("GET", s.path, s.token, null), 404);
            assertTrue(fromMemory.isEmpty());
        }
    }

    /** The observer hears of a request just after its answer left, so wait for it. */
    private List<String> finishedGets(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        List<String> gets;
        while ((gets = routes.stream().filter(r -> r.startsWith("GET ")).toList()).size() < expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return gets;
    }

    private static Map<String, List<String>> headers(HttpResponse<String> answer) {
        Map<String, List<String>> headers = new TreeMap<>(answer.headers().map());
        headers.remove("x-request-id");
        headers.remove("date");
        return headers;
    }

    /** The API's clock: tokens, and how long answers are kept. Core's services keep the system clock. */
    private static final class MovableClock extends Clock {
        private volatile Instant now = Instant.now();

        void advance(Duration by) {
            now = now.plus(by);
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
