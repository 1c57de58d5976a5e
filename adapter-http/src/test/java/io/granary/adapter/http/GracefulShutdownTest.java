package io.granary.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.domain.LeafUser;
import io.granary.core.domain.Page;
import io.granary.core.domain.PageRequest;
import io.granary.core.domain.UserFilter;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

final class GracefulShutdownTest {

    @Test
    void stop_letsRequestInFlightFinish() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (TestApi t = TestApi.withUsers(real -> new DelegatingUsers(real) {
            @Override
            public Page<LeafUser> list(UUID ownerId, UserFilter filter, PageRequest page) {
                entered.countDown();
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.list(ownerId, filter, page);
            }
        })) {
            String token = t.ownerToken("owner@farm.io");
            CompletableFuture<HttpResponse<String>> inFlight =
                    CompletableFuture.supplyAsync(() -> t.send("GET", TestApi.USERS, token, null));
            assertTrue(entered.await(5, TimeUnit.SECONDS));

            CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> t.api.stop(Duration.ofSeconds(5)));
            Thread.sleep(200);
            assertTrue(!stopped.isDone(), "stop waits for the request in flight");
            release.countDown();

            assertEquals(200, inFlight.get(5, TimeUnit.SECONDS).statusCode());
            assertTrue(stopped.get(5, TimeUnit.SECONDS), "every request finished within the grace period");
        }
    }
}
