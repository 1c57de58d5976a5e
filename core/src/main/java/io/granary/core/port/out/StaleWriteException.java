package io.granary.core.port.out;

/** A write named a version that is no longer current: someone else changed the row first. */
public class StaleWriteException extends RuntimeException {
    public StaleWriteException(String message) {
        super(message);
    }
}
