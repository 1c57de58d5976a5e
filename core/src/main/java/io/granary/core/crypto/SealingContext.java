package io.granary.core.crypto;

import java.util.UUID;

/**
 * Where a sealed value is stored, as the associated data it is sealed under: a ciphertext copied to another row
 * or field then fails to open instead of quietly serving another grower's token. Every storage adapter seals with
 * these, so values written by one open in another and one key rotation serves them all. The strings are part of
 * the on-disk format: changing one makes every stored value of its kind unreadable.
 */
public final class SealingContext {

    private SealingContext() {
    }

    /** A credential's field, e.g. its refresh token. */
    public static String credentialField(UUID credentialId, String fieldName) {
        return credentialField(credentialId.toString(), fieldName);
    }

    public static String credentialField(String credentialId, String fieldName) {
        return "credential:" + credentialId + ":" + fieldName;
    }

    /** A webhook's signing secret. */
    public static String webhookSecret(String webhookId) {
        return "webhook:" + webhookId + ":secret";
    }

    /** An owner's provider app (its fields as one JSON object), bound to the app's identity. */
    public static String appKey(String ownerId, String providerId, String appName, String environment) {
        return "app-key:" + ownerId + ":" + providerId + ":" + appName + ":" + environment;
    }
}
