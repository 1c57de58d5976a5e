package io.granary.core.port.out;

/** A unique constraint refused a write. */
public class DuplicateException extends RuntimeException {
    public DuplicateException(String message) {
        super(message);
    }
}
