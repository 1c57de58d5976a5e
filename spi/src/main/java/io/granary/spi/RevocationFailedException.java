package io.granary.spi;

/** The provider answered a revocation request with an error; the message names the status, never a secret. */
public class RevocationFailedException extends RuntimeException {
    public RevocationFailedException(String message) {
        super(message);
    }
}
