package io.granary.adapter.http;

import static io.granary.adapter.http.TestApi.USERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.domain.LeafUser;
import io.granary.core.domain.Page;
import io.granary.core.domain.PageRequest;
import io.granary.core.domain.UserFilter;
import io.granary.core.port.in.CredentialLinks;
import io.granary.core.port.in.UserDraft;
import io.granary.core.port.out.StorageUnavailableException;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

final class ErrorAnswersTest {

    private final TestApi t = TestApi.start();
    private final String token = t.ownerToken("owner@farm.io");

    @AfterEach
    void stop() {
        t.close();
    }

    @Test
    void post_whenBodyIsMalformedJson_answers400WithoutEchoingIt() {
        Map<String, Object> problem = TestApi.problem(t.send("POST", USERS, token, "{\"name\":\"secret-value"), 400);
        assertFalse(problem.toString().contains("secret-value"));
        TestApi.problem(t.send("POST", USERS, token, "{\"name\":\"a\"} trailing"), 400);
        TestApi.problem(t.send("POST", USERS, token, "{'name':'a'}"), 400);
        TestApi.problem(t.send("POST", USERS, token, ""), 400);
        TestApi.problem(t.send("POST", USERS, token, "null"), 400);
    }

    @Test
    void post_whenBodyHasDuplicateKeys_answers400() {
        TestApi.problem(t.send("POST", USERS, token, "{\"name\":\"a\",\"name\":\"b\"}"), 400);
        TestApi.problem(t.send("POST", "/api/authenticate", null,
                "{\"username\":\"owner@farm.io\",\"password\":\"x\",\"password\":\"" + TestApi.PASSWORD + "\"}"), 400);
    }

    @Test
    void post_whenBodyHasWrongJsonTypes_answers400() {
        TestApi.problem(t.send("POST", USERS, token, "[{\"name\":\"a\"}]"), 400);
        TestApi.problem(t.send("POST", USERS, token, "\"name\""), 400);
        assertEquals("email", TestApi.problem(t.send("POST", USERS, token, "{\"email\":{\"a\":1}}"), 400).get("field"));
        assertEquals("password", TestApi.problem(t.send("POST", "/api/authenticate", null,
                "{\"username\":\"owner@farm.io\",\"password\":[1]}"), 400).get("field"));
    }

    @Test
    void post_whenBodyIsNestedTooDeeply_answers400() {
        String deep = "{\"name\":" + "[".repeat(50) + "]".repeat(50) + "}";
        TestApi.problem(t.send("POST", USERS, token, deep), 400);
    }

    @Test
    void post_whenBodyIsNotUtf8_answers400() {
        byte[] latin1 = "{\"name\":\"Jos\u00e9\"}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        HttpResponse<String> answer = t.send(t.request("POST", USERS, token, null)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(latin1)));
        TestApi.problem(answer, 400);
    }

    @Test
    void routes_whenIdIsNotAUuid_answer400() {
        assertEquals("userId", TestApi.problem(t.send("GET", USERS + "/not-a-uuid", token, null), 400).get("field"));
        TestApi.problem(t.send("GET", USERS + "/1-1-1-1-1", token, null), 400);
        TestApi.problem(t.send("GET", USERS + "/not-a-uuid/" + TestApi.SUFFIX, token, null), 400);
        assertEquals("id", TestApi.problem(t.send("PUT", USERS, token, "{\"id\":\"nope\"}"), 400).get("field"));
    }

    @Test
    void get_unknownRoute_answers404() {
        TestApi.problem(t.send("GET", "/services/usermanagement/api/nothing", token, null), 404);
        TestApi.problem(t.send("GET", "/", null, null), 404);
        String user = t.createUser(token, "Ann", "ann@farm.io");
        TestApi.problem(t.send("GET", USERS + "/" + user + "/" + TestApi.SUFFIX + "/other", token, null), 404);
    }

    @Test
    void wrongMethod_onKnownPath_answers405WithAllow() {
        HttpResponse<String> users = t.send("DELETE", USERS, token, null);
        TestApi.problem(users, 405);
        assertEquals("GET, POST, PUT", users.headers().firstValue("Allow").orElseThrow());

        HttpResponse<String> user = t.send("POST", USERS + "/" + java.util.UUID.randomUUID(), token, "{}");
        TestApi.problem(user, 405);
        assertEquals("DELETE, GET, PATCH, PUT", user.headers().firstValue("Allow").orElseThrow());

        HttpResponse<String> login = t.send("GET", "/api/authenticate", null, null);
        TestApi.problem(login, 405);
        assertEquals("POST", login.headers().firstValue("Allow").orElseThrow());
    }

    @Test
    void post_whenBodyIsOver64KiB_answers413_withOrWithoutContentLength() {
        String big = "{\"name\":\"" + "x".repeat(70 * 1024) + "\"}";
        TestApi.problem(t.send("POST", USERS, token, big), 413);

        // Chunked: no Content-Length to trust, so the cap must hold while reading.
        byte[] bytes = big.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        HttpResponse<String> chunked = t.send(t.request("POST", USERS, token, null)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))));
        TestApi.problem(chunked, 413);
        assertEquals("0", t.send("GET", USERS, token, null).headers().firstValue("X-Total-Count").orElseThrow());
    }

    @Test
    void post_whenBodyIsNotJson_answers415() {
        HttpResponse<String> form = t.send(t.request("POST", USERS, token, "name=a")
                .header("Content-Type", "application/x-www-form-urlencoded"));
        TestApi.problem(form, 415);
        HttpResponse<String> text = t.send(t.request("POST", USERS, token, "{\"name\":\"a\"}")
                .header("Content-Type", "text/plain"));
        TestApi.problem(text, 415);
        HttpResponse<String> charset = t.send(t.request("POST", USERS, token, "{\"name\":\"a\"}")
                .header("Content-Type", "application/json; charset=utf-8"));
        assertEquals(201, charset.statusCode());
    }

    @Test
    void post_whenCredentialExists_answers409() {
        String path = USERS + "/" + t.createUser(token, "Ann", "ann@farm.io") + "/" + TestApi.SUFFIX;
        String body = "{\"clientId\":\"a\",\"clientSecret\":\"b\",\"refreshToken\":\"c\"}";
        assertEquals(201, t.send("POST", path, token, body).statusCode());
        TestApi.problem(t.send("POST", path, token, body), 409);
    }

    @Test
    void everyAnswer_carriesRequestIdAndSafetyHeaders() {
        HttpResponse<String> ok = t.send(t.request("GET", USERS, token, null).header("X-Request-Id", "abc-123"));
        assertEquals("abc-123", ok.headers().firstValue("X-Request-Id").orElseThrow());
        HttpResponse<String> bad = t.send(t.request("GET", "/nowhere", null, null).header("X-Request-Id", "a b<script>"));
        String generated = bad.headers().firstValue("X-Request-Id").orElseThrow();
        assertNotEquals("a b<script>", generated);
        assertEquals(generated, TestApi.map(bad).get("requestId"));
        for (HttpResponse<String> answer : Arrays.asList(ok, bad, t.send("DELETE", USERS, token, null))) {
            assertEquals("no-store", answer.headers().firstValue("Cache-Control").orElseThrow());
            assertEquals("nosniff", answer.headers().firstValue("X-Content-Type-Options").orElseThrow());
        }
    }

    @Test
    void unexpectedFailure_answers500WithGenericDetail_andStorageOutage503() {
        try (TestApi failing = TestApi.withUsers(real -> new DelegatingUsers(real) {
            @Override
            public LeafUser create(UUID ownerId, UserDraft draft, CredentialLinks links) {
                throw new StorageUnavailableException("jdbc:sqlite:/var/lib/granary.db is locked", null);
            }

            @Override
            public Page<LeafUser> list(UUID ownerId, UserFilter filter, PageRequest page) {
                throw new IllegalStateException("password=hunter2 leaked into a message");
            }
        })) {
            String owner = failing.ownerToken("f@farm.io");
            Map<String, Object> problem = TestApi.problem(failing.send("GET", USERS, owner, null), 500);
            assertEquals("an unexpected error occurred", problem.get("detail"));
            assertFalse(problem.toString().contains("hunter2"));
            HttpResponse<String> storage = failing.send("POST", USERS, owner, "{\"name\":\"a\"}");
            TestApi.problem(storage, 503);
            assertFalse(storage.body().contains("jdbc:"));
            assertTrue(storage.headers().firstValue("Retry-After").isPresent());
        }
    }

    @Test
    void storageOutage_logsOneWarningNamingTheCause_withoutStackTrace() {
        Logger envelope = (Logger) LoggerFactory.getLogger("io.granary.adapter.http.internal.Envelope");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        envelope.addAppender(appender);
        try (TestApi failing = TestApi.withUsers(real -> new DelegatingUsers(real) {
            @Override
            public LeafUser create(UUID ownerId, UserDraft draft, CredentialLinks links) {
                throw new StorageUnavailableException("database unavailable (SQLITE_FULL)", new RuntimeException("cause"));
            }
        })) {
            HttpResponse<String> storage = failing.send("POST", USERS, failing.ownerToken("f@farm.io"), "{\"name\":\"a\"}");
            TestApi.problem(storage, 503);
            assertEquals("5", storage.headers().firstValue("Retry-After").orElse(null));
            assertEquals(1, appender.list.size(), appender.list.toString());
            ILoggingEvent line = appender.list.get(0);
            assertEquals(Level.WARN, line.getLevel());
            assertTrue(line.getFormattedMessage().endsWith("storage unavailable: database unavailable (SQLITE_FULL)"), line.getFormattedMessage());
            assertNull(line.getThrowableProxy());
        } finally {
            envelope.detachAppender(appender);
        }
    }
}
