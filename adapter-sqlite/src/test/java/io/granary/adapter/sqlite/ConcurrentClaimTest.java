package io.granary.adapter.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.granary.core.domain.Credential;
import io.granary.core.domain.LeafUser;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two storages on one file stand for two Granary processes; only the database arbitrates between them. */
final class ConcurrentClaimTest {

    private static final int THREADS_PER_PROCESS = 8;
    private static final int ROUNDS = 5;

    @TempDir
    Path dir;

    @Test
    void claim_racedByTwoProcessesAndManyThreads_hasExactlyOneWinnerPerLease() throws Exception {
        Path file = dir.resolve("g.db");
        try (SqliteStorage a = SqliteStorage.open(file, Fixtures.sealer("k1"));
             SqliteStorage b = SqliteStorage.open(file, Fixtures.sealer("k1"))) {
            LeafUser user = Fixtures.insertUser(a, Fixtures.insertOwner(a));
            Credential cred = Fixtures.insertCredential(a, user, "JohnDeere", Fixtures.at(0));
            ExecutorService pool = Executors.newFixedThreadPool(THREADS_PER_PROCESS * 2);
            try {
                long version = cred.version();
                for (int round = 0; round < ROUNDS; round++) {
                    // Each round's lease starts when the previous one has run out.
                    Instant now = Fixtures.at(100L * round + 1);
                    Instant until = Fixtures.at(100L * round + 100);
                    CountDownLatch start = new CountDownLatch(1);
                    List<Future<Long>> attempts = new ArrayList<>();
                    for (int t = 0; t < THREADS_PER_PROCESS * 2; t++) {
                        SqliteStorage process = t % 2 == 0 ? a : b;
                        String claimant = (t % 2 == 0 ? "proc-a-" : "proc-b-") + t;
                        Callable<Long> attempt = () -> {
                            start.await();
                            return process.credentials().claim(cred.id(), claimant, now, until)
                                    .map(Credential::version).orElse(-1L);
                        };
                        attempts.add(pool.submit(attempt));
                    }
                    start.countDown();
                    List<Long> won = new ArrayList<>();
                    for (Future<Long> f : attempts) {
                        long v = f.get(30, TimeUnit.SECONDS);
                        if (v >= 0) {
                            won.add(v);
                        }
                    }
                    assertEquals(1, won.size(), "winners in round " + round);
                    assertEquals(version + 1, won.get(0));
                    version = won.get(0);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
