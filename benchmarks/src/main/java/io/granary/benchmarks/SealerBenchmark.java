package io.granary.benchmarks;

import io.granary.core.crypto.AesGcmSealer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * AES-256-GCM on one 39-character token, as the SQLite adapter opens each credential field. The cached variants
 * copy AesGcmSealer's steps but keep one Cipher per thread, to show what that change would save.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SealerBenchmark {

    AesGcmSealer sealer;
    CachedCipher cached;
    String plaintext;
    String context;
    String sealed;

    @Setup
    public void setUp() {
        sealer = BenchData.sealer();
        cached = new CachedCipher(BenchData.sealer().currentKeyId(), BenchData.sealerKey());
        plaintext = "rt-" + UUID.randomUUID();
        context = BenchData.fieldContext(UUID.randomUUID(), "refreshToken");
        sealed = sealer.seal(plaintext, context);
        if (!cached.open(sealed, context).equals(plaintext) || !sealer.open(cached.seal(plaintext, context), context).equals(plaintext)) {
            throw new IllegalStateException("the cached-cipher copy does not match AesGcmSealer");
        }
    }

    @Benchmark
    public String open() {
        return sealer.open(sealed, context);
    }

    @Benchmark
    public String seal() {
        return sealer.seal(plaintext, context);
    }

    @Benchmark
    public String openCachedCipher() {
        return cached.open(sealed, context);
    }

    @Benchmark
    public String sealCachedCipher() {
        return cached.seal(plaintext, context);
    }

    /** The provider lookup AesGcmSealer pays on every value. */
    @Benchmark
    public Cipher cipherGetInstance() throws GeneralSecurityException {
        return Cipher.getInstance("AES/GCM/NoPadding");
    }

    /** AesGcmSealer's open and seal with the Cipher kept per thread instead of looked up per value. */
    static final class CachedCipher {
        private static final int NONCE_BYTES = 12;
        private static final int TAG_BITS = 128;

        private final String keyId;
        private final SecretKeySpec key;
        private final SecureRandom random = new SecureRandom();
        private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(() -> {
            try {
                return Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });

        CachedCipher(String keyId, byte[] key) {
            this.keyId = keyId;
            this.key = new SecretKeySpec(key, "AES");
        }

        String seal(String plaintext, String context) {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            try {
                Cipher cipher = ciphers.get();
                cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
                cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
                byte[] sealedBytes = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
                byte[] out = new byte[NONCE_BYTES + sealedBytes.length];
                System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
                System.arraycopy(sealedBytes, 0, out, NONCE_BYTES, sealedBytes.length);
                return "g1:" + keyId + ":" + Base64.getEncoder().encodeToString(out);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        String open(String sealedValue, String context) {
            String[] parts = sealedValue.split(":", 3);
            if (parts.length != 3 || !parts[0].equals("g1") || !parts[1].equals(keyId)) {
                throw new IllegalArgumentException("not sealed under " + keyId);
            }
            try {
                byte[] data = Base64.getDecoder().decode(parts[2]);
                Cipher cipher = ciphers.get();
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
                cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
                return new String(cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES), StandardCharsets.UTF_8);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
