package io.granary.adapter.sqlite.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Puts SQLite's write-ahead log on disk: {@code fdatasync} of the {@code -wal} file through a channel of its own (a
 * flush covers the file's data, whichever descriptor wrote it). Used by one thread only ({@link GroupCommit}'s).
 */
final class WalFlush implements GroupCommit.Flush, AutoCloseable {

    private final Path wal;
    private FileChannel channel;
    private Object openedFile;

    WalFlush(Path wal) {
        this.wal = wal;
    }

    @Override
    public void flush() throws IOException {
        // SQLite creates the file with the first connection and deletes it after the last one closes; should that ever
        // happen while this process runs, a channel to the old file would flush nothing of the new one.
        Object file = Files.readAttributes(wal, BasicFileAttributes.class).fileKey();
        if (channel == null || file == null || !Objects.equals(file, openedFile)) {
            close();
            channel = FileChannel.open(wal, StandardOpenOption.READ);
            openedFile = file;
        }
        channel.force(false);
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Only ever read from; nothing is lost by a failed close.
            }
            channel = null;
        }
    }
}
