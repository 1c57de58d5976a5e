package io.granary.spi;

/** The provider could not be reached or did not answer in time. Always temporary. */
public class ProviderUnreachableException extends RuntimeException {
    public ProviderUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
