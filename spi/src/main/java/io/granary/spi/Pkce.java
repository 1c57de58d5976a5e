package io.granary.spi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * PKCE S256 (RFC 7636): challenge = BASE64URL(SHA-256(ASCII(verifier))), no padding: the meaning of
 * {@link AuthorizationRequest#codeChallenge()}. The host computes challenges with it, and simulated authorization
 * servers (the test kit's, the Sandbox's) check verifiers with it; an ordinary provider only says whether its server
 * {@link OAuth2Provider#acceptsPkce() accepts PKCE}.
 */
public final class Pkce {

    /** RFC 7636 section 4.1: 43-128 unreserved characters. */
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

    private Pkce() {
    }

    public static String challenge(String verifier) {
        if (verifier == null || !VERIFIER.matcher(verifier).matches()) {
            throw new IllegalArgumentException("a PKCE verifier must be 43-128 unreserved characters");
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
