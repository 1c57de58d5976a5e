package io.granary.core.crypto;

import io.granary.core.port.out.SecretWalk;
import io.granary.core.port.out.SecretWalk.Kind;
import io.granary.core.port.out.SecretWalk.Resealed;
import io.granary.core.port.out.SecretWalk.SealedValue;
import java.util.ArrayList;
import java.util.List;

/**
 * Whole-storage work on sealed values, for any storage: the start-up key check and re-encryption under a new
 * key (the {@code rotate-key} command). Crypto runs outside the storage's transactions.
 */
public final class Resealing {

    /** Values per write: short enough that API writes wait milliseconds, not seconds. */
    static final int BATCH = 200;

    private Resealing() {
    }

    /**
     * Opens the oldest and the newest sealed value of each kind with {@code sealer}.
     *
     * @throws SealException with a message fit for an operator if the key is wrong or missing
     */
    public static void verify(SecretWalk walk, SecretSealer sealer) {
        for (Kind kind : Kind.values()) {
            for (SealedValue sample : walk.oldestAndNewest(kind)) {
                try {
                    sealer.open(sample.sealed(), sample.context());
                } catch (SealException e) {
                    throw new SealException("The configured encryption key cannot open the secrets stored in this database"
                            + " (wrong key, or the key that sealed them is missing from the key set)", e);
                }
            }
        }
    }

    /**
     * Re-encrypts every value {@code newSealer.needsResealing}: opened with {@code oldSealer}, sealed with
     * {@code newSealer}, {@value #BATCH} values per write. The two may be one sealer holding both keys. Safe to run
     * again after a crash: values already under the new key are skipped.
     *
     * @return how many values were re-encrypted
     * @throws SealException if a stored value cannot be opened with the old sealer (batches before it stay done)
     */
    public static int resealAll(SecretWalk walk, SecretSealer oldSealer, SecretSealer newSealer) {
        int resealed = 0;
        for (Kind kind : Kind.values()) {
            resealed += reseal(walk, kind, oldSealer, newSealer);
        }
        walk.walked();
        return resealed;
    }

    private static int reseal(SecretWalk walk, Kind kind, SecretSealer oldSealer, SecretSealer newSealer) {
        int resealed = 0;
        String cursor = null;
        while (true) {
            List<SealedValue> batch = walk.after(kind, cursor, BATCH);
            if (batch.isEmpty()) {
                return resealed;
            }
            List<Resealed> changed = new ArrayList<>();
            for (SealedValue v : batch) {
                if (newSealer.needsResealing(v.sealed())) {
                    changed.add(new Resealed(v, newSealer.seal(oldSealer.open(v.sealed(), v.context()), v.context())));
                }
            }
            if (!changed.isEmpty()) {
                resealed += walk.replace(kind, changed);
            }
            cursor = batch.get(batch.size() - 1).cursor();
        }
    }
}
