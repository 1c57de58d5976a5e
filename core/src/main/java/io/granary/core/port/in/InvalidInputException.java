package io.granary.core.port.in;

/**
 * The request is wrong; {@code field} names the offending field (or null for the request as a whole), and
 * {@code code}, when set, is a stable machine-readable name of the problem (it becomes the problem type).
 */
public class InvalidInputException extends RuntimeException {
    private final String field;
    private final String code;

    public InvalidInputException(String field, String message) {
        this(field, message, null);
    }

    public InvalidInputException(String field, String message, String code) {
        super(message);
        this.field = field;
        this.code = code;
    }

    public String field() {
        return field;
    }

    /** A stable name such as {@code eventRegisteredTwice}, or null. */
    public String code() {
        return code;
    }
}
