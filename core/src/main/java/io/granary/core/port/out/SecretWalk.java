package io.granary.core.port.out;

import java.util.List;

/**
 * The storage side of key rotation: every sealed value a storage holds, read in batches and written back. What
 * to do with them (check the key, re-encrypt) is core's {@link io.granary.core.crypto.Resealing}, the same for
 * every storage.
 */
public interface SecretWalk {

    /** The kinds of sealed values; each storage keeps them where it likes. */
    enum Kind { CREDENTIAL_FIELD, WEBHOOK_SECRET, APP_KEY }

    /**
     * A stored sealed value.
     *
     * @param cursor  where it is, opaque to core; {@link #after} continues behind it
     * @param context the {@link io.granary.core.crypto.SealingContext} it was sealed under
     */
    record SealedValue(String cursor, String sealed, String context) {
    }

    /** A value to store in place of {@code old}, which must still be stored as read. */
    record Resealed(SealedValue old, String sealed) {
    }

    /** True if any sealed value is stored. */
    boolean holdsSecrets();

    /** The first and the last value of a kind, the likeliest to be under different keys; empty if none. */
    List<SealedValue> oldestAndNewest(Kind kind);

    /** Up to {@code limit} values of a kind behind {@code cursor} (null: from the start), in a stable order. */
    List<SealedValue> after(Kind kind, String cursor, int limit);

    /**
     * Stores the new values in one short transaction. A value changed since it was read (a refresh wrote a new
     * token) is left alone: what was written is already sealed under the current key.
     *
     * @return how many values were replaced
     */
    int replace(Kind kind, List<Resealed> values);

    /** Called once a whole walk has replaced values, e.g. to drop old ciphertexts from a write-ahead log. */
    default void walked() {
    }
}
