package io.granary.app;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * An OS lock on {@code granary.lock} in the data directory. Services share it (several may serve one database);
 * a command that rewrites every secret ({@code rotate-key}) takes it alone, so it never runs under a live service
 * that would keep sealing with the old key. The OS drops a process's locks when it dies: a crash leaves nothing to
 * clean up.
 */
final class DataDirectoryLock implements AutoCloseable {

    static final String FILE = "granary.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** For a service: refuses while a command holds the data directory alone. */
    static DataDirectoryLock forService(DataDirectory data) {
        return take(data, true, "a command that rewrites the secrets (rotate-key) is running on " + data.root()
                + ": start the service when it has finished");
    }

    /** For a command that rewrites secrets: refuses while any service (or another such command) runs on the data. */
    static DataDirectoryLock alone(DataDirectory data, String command) {
        return take(data, false, command + " refused: a Granary service is running on " + data.root()
                + " (it holds " + FILE + "); stop every service on this data directory first, or its next writes"
                + " would be sealed under the old key");
    }

    private static DataDirectoryLock take(DataDirectory data, boolean shared, String whenTaken) {
        Path file = data.resolve(FILE);
        FileChannel channel = null;
        try {
            createPrivate(file);
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock(0, Long.MAX_VALUE, shared);
            if (lock == null) {
                throw new IllegalStateException(whenTaken);
            }
            return new DataDirectoryLock(channel, lock);
        } catch (OverlappingFileLockException sameProcess) {
            close(channel);
            throw new IllegalStateException(whenTaken);
        } catch (IOException e) {
            close(channel);
            throw new IllegalStateException("cannot lock " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close(channel);
            throw e;
        }
    }

    private static void createPrivate(Path file) throws IOException {
        if (Files.exists(file)) {
            return;
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            // another process created it first
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
    }

    private static void close(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing held
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        close(channel);
    }
}
