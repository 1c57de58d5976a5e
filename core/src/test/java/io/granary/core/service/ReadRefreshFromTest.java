package io.granary.core.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.granary.core.domain.Credential;
import io.granary.core.domain.CredentialStatus;
import io.granary.spi.Environment;
import io.granary.core.testing.CoreFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** An answer cache trusts readRefreshFrom to say exactly when a read starts refreshing; it must agree with the read. */
final class ReadRefreshFromTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    private final CredentialRefresher refresher = CoreFixture.create().refresher;

    @Test
    void agreesWithReadNeedsRefresh_atEveryMomentForEveryKindOfCredential() {
        List<Instant> expiries = Arrays.asList(null, NOW.minusSeconds(60), NOW.plusSeconds(60), NOW.plusSeconds(600), NOW.plusSeconds(7_200));
        List<Instant> nextRefreshes = Arrays.asList(null, NOW.minusSeconds(60), NOW.plusSeconds(180), NOW.plusSeconds(1_800), NOW.plusSeconds(9_000));
        int checked = 0;
        for (CredentialStatus status : CredentialStatus.values()) {
            for (Instant expiresAt : expiries) {
                for (Instant nextRefreshAt : nextRefreshes) {
                    Credential credential = credential(status, expiresAt, nextRefreshAt);
                    Instant from = refresher.readRefreshFrom(credential);
                    for (Instant t = NOW.minus(Duration.ofHours(1)); t.isBefore(NOW.plus(Duration.ofHours(4))); t = t.plusSeconds(15)) {
                        boolean expected = refresher.readNeedsRefresh(credential, t);
                        assertEquals(expected, from != null && !t.isBefore(from),
                                status + " expires " + expiresAt + " next " + nextRefreshAt + " at " + t + ": from " + from);
                        checked++;
                    }
                }
            }
        }
        assertEquals(CredentialStatus.values().length * 25 * 1_200, checked);
    }

    private static Credential credential(CredentialStatus status, Instant expiresAt, Instant nextRefreshAt) {
        return new Credential(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), "test", Environment.PRODUCTION,
                Map.of(), status, null, NOW, NOW, expiresAt, List.of(), nextRefreshAt, 0, 1);
    }
}
