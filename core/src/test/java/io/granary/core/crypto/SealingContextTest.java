package io.granary.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The contexts are part of the stored format: databases written before must still open. */
class SealingContextTest {

    @Test
    void contextsAreTheOnesExistingDatabasesWereSealedUnder() {
        UUID id = UUID.fromString("0b7e3a52-1111-4222-8333-944455556666");
        assertEquals("credential:0b7e3a52-1111-4222-8333-944455556666:refreshToken", SealingContext.credentialField(id, "refreshToken"));
        assertEquals("credential:c1:refreshToken", SealingContext.credentialField("c1", "refreshToken"));
        assertEquals("webhook:w1:secret", SealingContext.webhookSecret("w1"));
        assertEquals("app-key:o1:trimble:main:PRODUCTION", SealingContext.appKey("o1", "trimble", "main", "PRODUCTION"));
    }

    @Test
    void keyIdsAreTheFirstEightBytesOfTheKeysSha256() {
        // sha256 of 32 zero bytes is 66687aadf862bd77...
        assertEquals("66687aadf862bd77", AesGcmSealer.keyId(new byte[32]));
    }
}
