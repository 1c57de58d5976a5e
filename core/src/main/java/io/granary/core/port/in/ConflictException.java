package io.granary.core.port.in;

/** The request clashes with what exists, such as a second credential for one provider. */
public class ConflictException extends RuntimeException {
    public ConflictException(String message) {
        super(message);
    }
}
