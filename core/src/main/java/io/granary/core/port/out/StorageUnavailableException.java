package io.granary.core.port.out;

/** The database cannot serve right now (locked, disk full, gone). Answered as 503; never corrupts anything. */
public class StorageUnavailableException extends RuntimeException {
    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
