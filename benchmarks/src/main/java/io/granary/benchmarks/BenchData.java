package io.granary.benchmarks;

import io.granary.core.crypto.AesGcmSealer;
import io.granary.core.domain.Credential;
import io.granary.core.domain.CredentialStatus;
import io.granary.spi.Environment;
import io.granary.spi.ProviderDescriptor;
import io.granary.provider.trimble.TrimbleProvider;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The data one API read handles, shaped like bench/api-throughput.sh's: a VALID Trimble credential with the
 * fake provider's values (client id and secret, "rt-"/"at-" + UUID tokens of 39 characters), four sealed fields.
 */
public final class BenchData {

    public static final String PROVIDER_ID = "Trimble";
    public static final ProviderDescriptor TRIMBLE = new TrimbleProvider().descriptor();
    public static final byte[] JWT_SECRET = bytes(32, 7);

    private BenchData() {
    }

    public static AesGcmSealer sealer() {
        return new AesGcmSealer("k1", Map.of("k1", sealerKey()));
    }

    public static byte[] sealerKey() {
        return bytes(32, 42);
    }

    public static Map<String, String> trimbleFields() {
        return Map.of("clientId", "fake-client", "clientSecret", "fake-client-secret-value",
                "refreshToken", "rt-" + UUID.randomUUID(), "accessToken", "at-" + UUID.randomUUID());
    }

    public static Credential trimbleCredential(UUID ownerId, UUID userId) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return new Credential(UUID.randomUUID(), ownerId, userId, PROVIDER_ID, Environment.PRODUCTION, trimbleFields(),
                CredentialStatus.VALID, null, now, now, now.plusSeconds(3600), List.of("openid"),
                now.plusSeconds(3000), 0, 3);
    }

    /** The context every storage adapter binds a credential field to. */
    public static String fieldContext(UUID credentialId, String name) {
        return io.granary.core.crypto.SealingContext.credentialField(credentialId, name);
    }

    private static byte[] bytes(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
