package io.granary.spi;

/** Another refresh of the same credential took over; the current one must stop without writing. */
public class LostClaimException extends RuntimeException {
    public LostClaimException(String message) {
        super(message);
    }
}
