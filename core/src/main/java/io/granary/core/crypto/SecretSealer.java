package io.granary.core.crypto;

/**
 * Encrypts secret values for storage. The {@code context} is bound to the ciphertext (AEAD associated data),
 * so a value copied to another row or field fails to open.
 */
public interface SecretSealer {

    /** @return a self-describing text: format version, key id, nonce and ciphertext */
    String seal(String plaintext, String context);

    /** @throws SealException if the value was tampered with, moved, or sealed under an unknown key */
    String open(String sealed, String context);

    /** True if the value was sealed under a key other than the current one (key rotation pending). */
    boolean needsResealing(String sealed);
}
