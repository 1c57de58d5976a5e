package io.granary.adapter.http.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Counts failed logins per username and per client address in fixed windows, so password guessing is slow
 * whether an attacker tries many passwords on one owner or one password on many owners.
 */
final class LoginThrottle {

    static final int MAX_FAILURES_PER_USERNAME = 10;
    /** Higher than per username: many honest owners may share one NAT address. */
    static final int MAX_FAILURES_PER_ADDRESS = 50;
    static final Duration WINDOW = Duration.ofMinutes(15);

    private record Window(Instant start, int failures) { }

    private final Clock clock;
    private final Cache<String, Window> windows;

    LoginThrottle(Clock clock) {
        this.clock = clock;
        this.windows = Caffeine.newBuilder()
                .maximumSize(100_000) // bounds memory when someone sprays random usernames
                .expireAfterWrite(WINDOW)
                .ticker(() -> {
                    Instant now = clock.instant();
                    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
                })
                .build();
    }

    /** How long the caller must wait, if either the username or the address has used up its failures. */
    Optional<Duration> blocked(String username, String address) {
        Instant now = clock.instant();
        Duration byUser = wait(userKey(username), MAX_FAILURES_PER_USERNAME, now);
        Duration byAddress = wait(addressKey(address), MAX_FAILURES_PER_ADDRESS, now);
        Duration longest = byUser.compareTo(byAddress) >= 0 ? byUser : byAddress;
        return longest.isZero() ? Optional.empty() : Optional.of(longest);
    }

    void failed(String username, String address) {
        count(userKey(username));
        count(addressKey(address));
    }

    /** Only the username's count is forgiven: logging in to one's own account must not reset an address. */
    void succeeded(String username) {
        windows.invalidate(userKey(username));
    }

    private Duration wait(String key, int limit, Instant now) {
        Window window = windows.getIfPresent(key);
        if (window == null || window.failures < limit) {
            return Duration.ZERO;
        }
        Instant end = window.start.plus(WINDOW);
        return now.isBefore(end) ? Duration.between(now, end) : Duration.ZERO;
    }

    private void count(String key) {
        Instant now = clock.instant();
        windows.asMap().compute(key, (k, window) ->
                window == null || !now.isBefore(window.start.plus(WINDOW))
                        ? new Window(now, 1)
                        : new Window(window.start, window.failures + 1));
    }

    private static String userKey(String username) {
        String key = username == null ? "" : username.trim().toLowerCase(Locale.ROOT);
        return "u:" + (key.length() > 320 ? key.substring(0, 320) : key);
    }

    private static String addressKey(String address) {
        return "a:" + address;
    }
}
