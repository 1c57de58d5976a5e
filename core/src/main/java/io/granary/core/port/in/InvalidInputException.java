package io.granary.core.port.in;

/** The request is wrong; {@code field} names the offending field (or null for the request as a whole). */
public class InvalidInputException extends RuntimeException {
    private final String field;

    public InvalidInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
