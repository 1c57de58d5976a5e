package io.granary.core.crypto;

/** A sealed value cannot be opened. The message never contains the value. */
public class SealException extends RuntimeException {
    public SealException(String message) {
        super(message);
    }

    public SealException(String message, Throwable cause) {
        super(message, cause);
    }
}
