package io.granary.adapter.http.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.granary.benchmarks.BenchData;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.text.ParseException;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The bearer check every API request makes, and its parts. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class JwtBenchmark {

    Tokens tokens;
    String token;
    MACVerifier verifier;
    Mac mac;
    byte[] signingInput;

    @Setup
    public void setUp() throws Exception {
        tokens = new Tokens(BenchData.JWT_SECRET, Clock.systemUTC());
        token = tokens.issue(UUID.randomUUID(), false);
        if (tokens.verify(token).isEmpty()) {
            throw new IllegalStateException("the benchmark token does not verify"); // would measure the error path
        }
        verifier = new MACVerifier(BenchData.JWT_SECRET);
        mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(BenchData.JWT_SECRET, "HmacSHA256"));
        signingInput = token.substring(0, token.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);
    }

    /** What Authentication does today: parse, pin HS256, HMAC, then read and check the claims. */
    @Benchmark
    public Optional<UUID> tokensVerify() {
        return tokens.verify(token);
    }

    /** nimbus alone: parse (Base64URL + header JSON) and check the HMAC, no claims. */
    @Benchmark
    public boolean nimbusParseAndHmac() throws ParseException, JOSEException {
        return SignedJWT.parse(token).verify(verifier);
    }

    /** nimbus parse alone: splitting, Base64URL and the header's JSON. */
    @Benchmark
    public SignedJWT nimbusParse() throws ParseException {
        return SignedJWT.parse(token);
    }

    /** The floor: HMAC-SHA256 of the signing input on a reused Mac, no parsing at all. */
    @Benchmark
    public byte[] jdkHmacOnly() throws GeneralSecurityException {
        return mac.doFinal(signingInput);
    }
}
