package io.granary.adapter.http.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;

/** Issues and checks the owners' bearer tokens: HS256 JWTs signed with one server secret. */
final class Tokens {

    static final String ISSUER = "granary";
    static final Duration LIFETIME = Duration.ofHours(24);
    static final Duration REMEMBER_ME_LIFETIME = Duration.ofDays(30);
    /** Tolerated clock difference for {@code iat}; only matters when several instances share the secret. */
    private static final Duration SKEW = Duration.ofMinutes(1);
    private static final int MAX_TOKEN_LENGTH = 4096;
    /** Clients reuse one token for thousands of calls; bounded so a flood of distinct valid tokens cannot grow it. */
    private static final int VERIFIED_CACHE_SIZE = 10_000;

    private final JWSSigner signer;
    private final JWSVerifier verifier;
    private final Clock clock;
    /**
     * Tokens whose signature and claims were already checked, by their exact text: a hit skips parsing and the
     * HMAC (most of the check's cost) but still honours the expiry. Only valid tokens are kept, so garbage cannot
     * evict them cheaply; the exact-text key means a changed byte is a miss and gets the full check.
     */
    private final Cache<String, Verified> verified = Caffeine.newBuilder().maximumSize(VERIFIED_CACHE_SIZE).build();

    /** A token whose signature and claims were checked, and when it expires. */
    record Verified(UUID ownerId, Instant expiresAt) {
    }

    Tokens(byte[] secret, Clock clock) {
        try {
            this.signer = new MACSigner(secret);
            this.verifier = new MACVerifier(secret);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("the JWT secret must be at least 32 bytes");
        }
        this.clock = clock;
    }

    String issue(UUID ownerId, boolean rememberMe) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(ownerId.toString())
                .issuer(ISSUER)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(rememberMe ? REMEMBER_ME_LIFETIME : LIFETIME)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing a token failed", e);
        }
        return jwt.serialize();
    }

    /** The owner id a valid token names; empty for anything else, without saying why (the caller answers 401). */
    Optional<UUID> verify(String token) {
        return Optional.ofNullable(verified(token)).map(Verified::ownerId);
    }

    /** {@link #verify}, with the token's expiry; null for anything but a valid token. */
    Verified verified(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return null;
        }
        Verified known = verified.getIfPresent(token);
        if (known != null) {
            if (unexpired(known)) {
                return known;
            }
            verified.invalidate(token);
            return null;
        }
        Verified checked = check(token).orElse(null);
        if (checked != null) {
            verified.put(token, checked);
        }
        return checked;
    }

    boolean unexpired(Verified token) {
        return clock.instant().isBefore(token.expiresAt());
    }

    private Optional<Verified> check(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token); // refuses alg "none": that is not a JWS header
            // Pin the algorithm: never let the token choose how it is checked.
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Instant now = clock.instant();
            Date exp = claims.getExpirationTime();
            Date iat = claims.getIssueTime();
            if (!ISSUER.equals(claims.getIssuer()) || exp == null || iat == null
                    || !now.isBefore(exp.toInstant())
                    || iat.toInstant().isAfter(now.plus(SKEW))
                    || claims.getSubject() == null) {
                return Optional.empty();
            }
            return Optional.of(new Verified(UUID.fromString(claims.getSubject()), exp.toInstant()));
        } catch (ParseException | JOSEException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
