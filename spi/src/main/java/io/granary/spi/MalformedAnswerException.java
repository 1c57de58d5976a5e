package io.granary.spi;

/** The provider answered with something that cannot be understood. Treated as temporary. */
public class MalformedAnswerException extends RuntimeException {
    public MalformedAnswerException(String message) {
        super(message);
    }
}
