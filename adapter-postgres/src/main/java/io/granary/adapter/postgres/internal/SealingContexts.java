package io.granary.adapter.postgres.internal;

import java.util.UUID;

/**
 * What each sealed value is bound to (AES-GCM associated data): exactly the strings the SQLite adapter uses, so a
 * value sealed on SQLite opens on PostgreSQL unchanged ({@code migrate} copies ciphertexts, never plaintext), and a
 * ciphertext copied to another row or field fails to open.
 */
final class SealingContexts {

    private SealingContexts() {
    }

    static String credentialField(Object credentialId, String fieldName) {
        return "credential:" + credentialId + ":" + fieldName;
    }

    static String webhookSecret(Object webhookId) {
        return "webhook:" + webhookId + ":secret";
    }

    static String appKey(Object ownerId, String providerId, String appName, String environment) {
        return "app-key:" + ownerId + ":" + providerId + ":" + appName + ":" + environment;
    }

    static UUID uuid(Object column) {
        return column instanceof UUID u ? u : UUID.fromString(String.valueOf(column));
    }
}
