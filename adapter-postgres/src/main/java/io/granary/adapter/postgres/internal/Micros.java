package io.granary.adapter.postgres.internal;

import java.time.Instant;

/**
 * Timestamps are stored as epoch microseconds, as on SQLite: Leaf shows microseconds, and the same integers let
 * {@code migrate} copy rows without converting them.
 */
final class Micros {

    private Micros() {
    }

    static Long of(Instant instant) {
        if (instant == null) {
            return null;
        }
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000L);
    }

    static Instant toInstant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    /** For nullable columns: reads the column as an object so SQL NULL stays null. */
    static Instant toInstant(Object micros) {
        return micros == null ? null : toInstant(((Number) micros).longValue());
    }
}
