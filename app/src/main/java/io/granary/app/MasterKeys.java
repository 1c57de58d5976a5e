package io.granary.app;

import io.granary.core.crypto.AesGcmSealer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master key ring: the current key, which seals, and older keys, which still open values sealed before
 * a rotation. From {@code GRANARY_MASTER_KEY} (+ {@code GRANARY_PREVIOUS_MASTER_KEYS}), from
 * {@code GRANARY_MASTER_KEY_FILE}, or from {@code master.key} generated in the data directory.
 * A key file holds one base64 key per line, the current one first.
 */
final class MasterKeys {

    static final String GENERATED_FILE = "master.key";
    private static final Logger LOG = LoggerFactory.getLogger(MasterKeys.class);

    /** Where the keys came from, so rotate-key knows whether it may write the new key itself. */
    enum Source { ENVIRONMENT, FILE, GENERATED_FILE }

    private final List<byte[]> keys;
    private final Source source;
    private final String fileName;

    private MasterKeys(List<byte[]> keys, Source source, String fileName) {
        this.keys = List.copyOf(keys);
        this.source = source;
        this.fileName = fileName;
    }

    /** Keys as configured, or empty ring if none is configured and no generated file exists yet. */
    static MasterKeys configured(Settings settings, DataDirectory data) {
        String inline = settings.get("GRANARY_MASTER_KEY");
        if (inline != null) {
            List<byte[]> ring = new ArrayList<>();
            ring.add(decode("GRANARY_MASTER_KEY", inline));
            String previous = settings.get("GRANARY_PREVIOUS_MASTER_KEYS");
            if (previous != null) {
                for (String key : previous.split(",")) {
                    ring.add(decode("GRANARY_PREVIOUS_MASTER_KEYS", key.trim()));
                }
            }
            return new MasterKeys(ring, Source.ENVIRONMENT, null);
        }
        String file = settings.get("GRANARY_MASTER_KEY_FILE");
        if (file != null) {
            String content;
            try {
                content = java.nio.file.Files.readString(java.nio.file.Path.of(file), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot read GRANARY_MASTER_KEY_FILE " + file + ": " + e.getClass().getSimpleName(), e);
            }
            return new MasterKeys(parseRing("GRANARY_MASTER_KEY_FILE", content), Source.FILE, file);
        }
        return data.read(GENERATED_FILE)
                .map(content -> new MasterKeys(parseRing(GENERATED_FILE, content), Source.GENERATED_FILE, data.resolve(GENERATED_FILE).toString()))
                .orElse(new MasterKeys(List.of(), Source.GENERATED_FILE, data.resolve(GENERATED_FILE).toString()));
    }

    /** Generates the embedded default key file (first start with an empty database). */
    static MasterKeys generate(DataDirectory data) {
        String key = DataDirectory.randomBase64(32);
        data.writePrivate(GENERATED_FILE, key + "\n");
        LOG.warn("generated a master key at {}; production deployments should supply their own "
                + "(GRANARY_MASTER_KEY or GRANARY_MASTER_KEY_FILE) and keep it apart from the database", data.resolve(GENERATED_FILE));
        return new MasterKeys(List.of(Base64.getDecoder().decode(key)), Source.GENERATED_FILE, data.resolve(GENERATED_FILE).toString());
    }

    boolean isEmpty() {
        return keys.isEmpty();
    }

    Source source() {
        return source;
    }

    String fileName() {
        return fileName;
    }

    List<byte[]> keys() {
        return keys;
    }

    /** The same ring with a new current key in front. */
    MasterKeys withNewCurrent(byte[] key) {
        List<byte[]> ring = new ArrayList<>();
        ring.add(key);
        ring.addAll(keys);
        return new MasterKeys(ring, source, fileName);
    }

    /** Only the current key. */
    MasterKeys currentOnly() {
        return new MasterKeys(List.of(keys.get(0)), source, fileName);
    }

    String toFileContent() {
        StringBuilder out = new StringBuilder();
        keys.forEach(k -> out.append(Base64.getEncoder().encodeToString(k)).append('\n'));
        return out.toString();
    }

    AesGcmSealer sealer() {
        return AesGcmSealer.ofKeyRing(keys);
    }

    static String keyId(byte[] key) {
        return AesGcmSealer.keyId(key);
    }

    private static List<byte[]> parseRing(String origin, String content) {
        List<byte[]> ring = new ArrayList<>();
        for (String line : content.split("\\R")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                ring.add(decode(origin, line.trim()));
            }
        }
        if (ring.isEmpty()) {
            throw new IllegalStateException(origin + " holds no key");
        }
        return ring;
    }

    private static byte[] decode(String origin, String base64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(origin + " must be base64 of 32 random bytes (e.g. `openssl rand -base64 32`)");
        }
        if (key.length != 32) {
            throw new IllegalStateException(origin + " must be base64 of exactly 32 bytes, was " + key.length + " bytes");
        }
        return key;
    }
}
