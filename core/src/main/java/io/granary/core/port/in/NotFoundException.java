package io.granary.core.port.in;

/** The addressed resource does not exist for this API owner. */
public class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message);
    }
}
