package io.granary.core.port.out;

/**
 * The database cannot serve right now (locked, disk full, gone). Answered as 503; never corrupts anything. The
 * message names the cause (e.g. the SQLite result code) and never data: it is logged, but never sent to clients.
 */
public class StorageUnavailableException extends RuntimeException {
    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
