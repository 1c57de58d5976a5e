package io.granary.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/** The data directory and the small secret files Granary generates in it, each readable by its owner only. */
final class DataDirectory {

    private final Path root;

    DataDirectory(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            if (!Files.exists(this.root)) {
                // Owner-only: the database and key files inside hold everything Granary protects.
                try {
                    Files.createDirectories(this.root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } catch (UnsupportedOperationException notPosix) {
                    Files.createDirectories(this.root);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot create data directory " + this.root + ": " + e.getMessage(), e);
        }
    }

    Path root() {
        return root;
    }

    Path resolve(String name) {
        return root.resolve(name);
    }

    Optional<String> read(String name) {
        Path file = resolve(name);
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).trim()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Writes a file with mode 600 via a temporary file and an atomic rename, so a crash leaves old or new, never half. */
    void writePrivate(String name, String content) {
        Path target = resolve(name);
        Path temp = resolve("." + name + ".tmp");
        try {
            Files.deleteIfExists(temp);
            try {
                Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(temp);
            }
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException("cannot create " + temp + ": it exists", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /** The file's content, generating {@code bytes} random bytes (base64) on first use. */
    String readOrGenerate(String name, int bytes) {
        return read(name).orElseGet(() -> {
            String generated = randomBase64(bytes);
            writePrivate(name, generated + "\n");
            return generated;
        });
    }

    static String randomBase64(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return Base64.getEncoder().encodeToString(random);
    }
}
