package io.granary.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

final class AesGcmSealerTest {

    private static byte[] key(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }

    private final AesGcmSealer sealer = new AesGcmSealer("k1", Map.of("k1", key(1)));

    @Test
    void open_returnsWhatWasSealed_andEachSealUsesAFreshNonce() {
        String a = sealer.seal("refresh-token-value", "cred-1/refresh_token");
        String b = sealer.seal("refresh-token-value", "cred-1/refresh_token");

        assertNotEquals(a, b);
        assertTrue(a.startsWith("g1:k1:"));
        assertFalse(a.contains("refresh-token-value"));
        assertEquals("refresh-token-value", sealer.open(a, "cred-1/refresh_token"));
        assertEquals("refresh-token-value", sealer.open(b, "cred-1/refresh_token"));
    }

    @Test
    void open_refusesAnotherContext_aChangedByte_andAnUnknownKey() {
        String sealed = sealer.seal("secret", "cred-1/client_secret");

        assertThrows(SealException.class, () -> sealer.open(sealed, "cred-2/client_secret"));
        byte[] data = Base64.getDecoder().decode(sealed.substring("g1:k1:".length()));
        data[data.length - 1] ^= 1;
        assertThrows(SealException.class, () -> sealer.open("g1:k1:" + Base64.getEncoder().encodeToString(data), "cred-1/client_secret"));
        assertThrows(SealException.class, () -> sealer.open(sealed.replace("g1:k1:", "g1:k9:"), "cred-1/client_secret"));
        assertThrows(SealException.class, () -> sealer.open("plain text", "cred-1/client_secret"));
        // A failed open leaves the thread's cipher usable.
        assertEquals("secret", sealer.open(sealed, "cred-1/client_secret"));
    }

    @Test
    void aRotatedSealer_opensValuesOfTheOldKey_andSaysTheyNeedResealing() {
        String old = sealer.seal("value", "ctx");
        AesGcmSealer rotated = new AesGcmSealer("k2", Map.of("k2", key(2), "k1", key(1)));

        assertEquals("value", rotated.open(old, "ctx"));
        assertTrue(rotated.needsResealing(old));
        assertFalse(rotated.needsResealing(rotated.seal("value", "ctx")));
    }

    @Test
    void sealAndOpen_fromManyThreadsAtOnce_neverMixUpValues() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        String value = "v-" + thread + "-" + i;
                        String context = "c-" + thread + "-" + i;
                        if (!value.equals(sealer.open(sealer.seal(value, context), context))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertTrue(result.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
