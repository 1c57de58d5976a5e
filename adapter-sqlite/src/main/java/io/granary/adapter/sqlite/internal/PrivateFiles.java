package io.granary.adapter.sqlite.internal;

import io.granary.core.port.out.StorageUnavailableException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The database file is created readable by its owner only, before SQLite opens it: SQLite would create it under the
 * process umask (usually 0644), and gives its -wal and -shm files the database file's permissions. The file holds
 * sealed secrets, owners' password hashes and growers' personal data.
 */
final class PrivateFiles {

    private PrivateFiles() {
    }

    static void createIfMissing(Path databaseFile) {
        if (Files.exists(databaseFile)) {
            return;
        }
        try {
            Files.createFile(databaseFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException raced) {
            // another process created it first: it did the same
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the directory's ACL decides
        } catch (IOException e) {
            throw new StorageUnavailableException("cannot create the database file " + databaseFile.getFileName()
                    + ": " + e.getClass().getSimpleName(), e);
        }
    }
}
