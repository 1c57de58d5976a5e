package io.granary.adapter.sqlite.internal;

import io.granary.core.crypto.SecretSealer;
import java.util.UUID;

/**
 * Seals credential field values bound to where they are stored: {@code credential:<id>:<field>}. A ciphertext
 * copied to another credential or field then fails to open instead of quietly serving another grower's token.
 */
final class SealedFields {

    private SealedFields() {
    }

    static String context(UUID credentialId, String fieldName) {
        return "credential:" + credentialId + ":" + fieldName;
    }

    static String context(String credentialId, String fieldName) {
        return "credential:" + credentialId + ":" + fieldName;
    }

    static String seal(SecretSealer sealer, UUID credentialId, String fieldName, String value) {
        return sealer.seal(value, context(credentialId, fieldName));
    }
}
