package io.granary.adapter.http;

import static io.granary.adapter.http.TestApi.USERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.granary.core.domain.LeafUser;
import io.granary.core.domain.Page;
import io.granary.core.domain.PageRequest;
import io.granary.core.domain.UserFilter;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

final class AccessLogTest {

    @Test
    void eachRequest_logsOneLineWithoutQueryMessagesOrSecrets() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        try (TestApi t = TestApi.withUsers(real -> new DelegatingUsers(real) {
            @Override
            public Page<LeafUser> list(UUID ownerId, UserFilter filter, PageRequest page) {
                throw new IllegalStateException("password=hunter2");
            }
        })) {
            String token = t.ownerToken("owner@farm.io");
            awaitAccessLines(appender, 1); // the login's own line, logged just after its answer
            appender.list.clear();

            HttpResponse<String> failed = t.send(t.request("GET", USERS + "?email=hidden@farm.io", token, null)
                    .header("X-Request-Id", "req-42"));
            t.send("POST", "/api/authenticate", null, "{\"username\":\"owner@farm.io\",\"password\":\"wrong-secret-pw\"}");
            awaitAccessLines(appender, 2);
            Thread.sleep(100); // a third line, if there were one, would show up now

            assertEquals(500, failed.statusCode());
            assertFalse(failed.body().contains("hunter2"));
            List<String> access = appender.list.stream()
                    .filter(AccessLogTest::isAccess)
                    .map(ILoggingEvent::getFormattedMessage).toList();
            assertEquals(2, access.size(), access.toString());
            assertTrue(access.get(0).matches("GET " + USERS + " 500 \\d+ms id=req-42"), access.get(0));
            assertTrue(access.get(1).startsWith("POST /api/authenticate 401 "), access.get(1));
            for (ILoggingEvent event : appender.list) {
                String line = event.getFormattedMessage();
                assertFalse(line.contains("hidden@farm.io") || line.contains("hunter2") || line.contains("wrong-secret-pw"), line);
                assertNull(event.getThrowableProxy(), "no stack traces in the log: " + line);
            }
        } finally {
            root.detachAppender(appender);
        }
    }

    private static boolean isAccess(ILoggingEvent event) {
        return event.getLoggerName().equals("io.granary.http.access");
    }

    private static void awaitAccessLines(ListAppender<ILoggingEvent> appender, int count) throws InterruptedException {
        for (int i = 0; i < 100 && appender.list.stream().filter(AccessLogTest::isAccess).count() < count; i++) {
            Thread.sleep(20);
        }
    }
}
