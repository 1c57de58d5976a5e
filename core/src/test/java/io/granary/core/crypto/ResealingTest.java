package io.granary.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.port.out.SecretWalk;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Core's reseal walk over any storage: here a list of values per kind, with the port's compare-and-set rule. */
class ResealingTest {

    private static final byte[] OLD = filled(1);
    private static final byte[] NEW = filled(2);

    /** Credential fields only; each value at cursor = its index. */
    private static final class ListWalk implements SecretWalk {
        final List<String> values = new ArrayList<>();
        boolean walked;
        /** Runs before each replace, as a concurrent writer would. */
        Runnable beforeReplace = () -> { };

        @Override
        public boolean holdsSecrets() {
            return !values.isEmpty();
        }

        @Override
        public List<SealedValue> oldestAndNewest(Kind kind) {
            return kind != Kind.CREDENTIAL_FIELD || values.isEmpty() ? List.of()
                    : List.of(value(0), value(values.size() - 1));
        }

        @Override
        public List<SealedValue> after(Kind kind, String cursor, int limit) {
            List<SealedValue> out = new ArrayList<>();
            int from = cursor == null ? 0 : Integer.parseInt(cursor) + 1;
            for (int i = from; kind == Kind.CREDENTIAL_FIELD && i < values.size() && out.size() < limit; i++) {
                out.add(value(i));
            }
            return out;
        }

        @Override
        public int replace(Kind kind, List<Resealed> changes) {
            beforeReplace.run();
            int replaced = 0;
            for (Resealed r : changes) {
                int i = Integer.parseInt(r.old().cursor());
                if (values.get(i).equals(r.old().sealed())) {
                    values.set(i, r.sealed());
                    replaced++;
                }
            }
            return replaced;
        }

        @Override
        public void walked() {
            walked = true;
        }

        private SealedValue value(int i) {
            return new SealedValue(Integer.toString(i), values.get(i), SealingContext.credentialField("c" + i, "refreshToken"));
        }
    }

    @Test
    void resealAll_movesEveryValueToTheNewKey_inBatches_andIsIdempotent() {
        AesGcmSealer old = AesGcmSealer.ofKeyRing(List.of(OLD));
        AesGcmSealer both = AesGcmSealer.ofKeyRing(List.of(NEW, OLD));
        ListWalk walk = new ListWalk();
        for (int i = 0; i < Resealing.BATCH * 2 + 3; i++) {
            walk.values.add(old.seal("token-" + i, SealingContext.credentialField("c" + i, "refreshToken")));
        }
        assertEquals(Resealing.BATCH * 2 + 3, Resealing.resealAll(walk, old, both));
        assertTrue(walk.walked);
        AesGcmSealer newOnly = AesGcmSealer.ofKeyRing(List.of(NEW));
        Resealing.verify(walk, newOnly);
        assertEquals("token-7", newOnly.open(walk.values.get(7), SealingContext.credentialField("c7", "refreshToken")));
        assertEquals(0, Resealing.resealAll(walk, both, both));
    }

    @Test
    void aValueRewrittenDuringTheWalkIsLeftAsWritten() {
        AesGcmSealer old = AesGcmSealer.ofKeyRing(List.of(OLD));
        AesGcmSealer both = AesGcmSealer.ofKeyRing(List.of(NEW, OLD));
        ListWalk walk = new ListWalk();
        walk.values.add(old.seal("a", SealingContext.credentialField("c0", "refreshToken")));
        walk.values.add(old.seal("b", SealingContext.credentialField("c1", "refreshToken")));
        String fresh = both.seal("b-refreshed", SealingContext.credentialField("c1", "refreshToken"));
        walk.beforeReplace = () -> walk.values.set(1, fresh);
        assertEquals(1, Resealing.resealAll(walk, old, both));
        assertEquals(fresh, walk.values.get(1));
    }

    @Test
    void verify_refusesAKeyThatCannotOpenTheStoredValues() {
        ListWalk walk = new ListWalk();
        walk.values.add(AesGcmSealer.ofKeyRing(List.of(OLD)).seal("a", SealingContext.credentialField("c0", "refreshToken")));
        SealException e = assertThrows(SealException.class, () -> Resealing.verify(walk, AesGcmSealer.ofKeyRing(List.of(NEW))));
        assertTrue(e.getMessage().contains("cannot open the secrets"));
    }

    private static byte[] filled(int b) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) b);
        return key;
    }
}
