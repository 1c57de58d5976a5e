package io.granary.core.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with a fresh 96-bit nonce per value. Sealed form: {@code g1:<keyId>:<base64(nonce || ciphertext+tag)>}.
 * Holds the current key plus older ones, so values sealed before a rotation still open.
 */
public final class AesGcmSealer implements SecretSealer {

    private static final String PREFIX = "g1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    /** Cipher.getInstance walks the provider list on every call; init with a fresh nonce resets a reused one. */
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new SealException("AES-GCM is not available", e);
        }
    });

    private final String currentKeyId;
    private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /** @param keysById 32-byte keys by id; {@code currentKeyId} seals, all of them open */
    public AesGcmSealer(String currentKeyId, Map<String, byte[]> keysById) {
        keysById.forEach((id, key) -> {
            if (key.length != 32) {
                throw new IllegalArgumentException("key '" + id + "' must be 32 bytes, was " + key.length);
            }
            if (!id.matches("[A-Za-z0-9_-]{1,32}")) {
                throw new IllegalArgumentException("key id must be 1-32 letters, digits, '-' or '_'");
            }
            keys.put(id, new SecretKeySpec(key, "AES"));
        });
        if (!keys.containsKey(currentKeyId)) {
            throw new IllegalArgumentException("current key id '" + currentKeyId + "' has no key");
        }
        this.currentKeyId = currentKeyId;
    }

    /**
     * A sealer over a key ring: the first key seals, all of them open. Each key's id is {@link #keyId(byte[])},
     * so the same ring always yields the same ids, whichever storage holds the values.
     */
    public static AesGcmSealer ofKeyRing(List<byte[]> ring) {
        if (ring.isEmpty()) {
            throw new IllegalArgumentException("the key ring is empty");
        }
        Map<String, byte[]> byId = new LinkedHashMap<>();
        ring.forEach(k -> byId.put(keyId(k), k));
        return new AesGcmSealer(keyId(ring.get(0)), byId);
    }

    /** A short, stable id for a key: the first 8 bytes of its SHA-256, in hex. Reveals nothing usable. */
    public static String keyId(byte[] key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String currentKeyId() {
        return currentKeyId;
    }

    @Override
    public String seal(String plaintext, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentKeyId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return PREFIX + ":" + currentKeyId + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new SealException("encryption failed", e);
        }
    }

    @Override
    public String open(String sealed, String context) {
        String[] parts = sealed.split(":", 3);
        if (parts.length != 3 || !parts[0].equals(PREFIX)) {
            throw new SealException("value is not sealed in a known format");
        }
        SecretKeySpec key = keys.get(parts[1]);
        if (key == null) {
            throw new SealException("value is sealed under key '" + parts[1] + "', which is not configured");
        }
        try {
            byte[] data = Base64.getDecoder().decode(parts[2]);
            if (data.length < NONCE_BYTES + TAG_BITS / 8) {
                throw new SealException("sealed value is truncated");
            }
            Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new SealException("value failed to decrypt: wrong key, or moved or altered", e);
        }
    }

    @Override
    public boolean needsResealing(String sealed) {
        return !sealed.startsWith(PREFIX + ":" + currentKeyId + ":");
    }
}
