package io.granary.benchmarks;

import io.granary.adapter.http.internal.HttpReadPath;
import io.granary.core.domain.Credential;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The Java work of one {@code GET .../trimble-credentials} in one call, without Undertow: token check, owner
 * lookup, credential read with its opens, view and JSON. One user every call, like bench/api-throughput.sh.
 * Checks that the parts measured alone add up.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ApiReadBenchmark {

    HttpReadPath http;
    String token;

    @Setup(Level.Trial)
    public void setUp(SeededDatabase data) {
        http = new HttpReadPath(BenchData.JWT_SECRET);
        token = http.issue(data.ownerId);
    }

    @Benchmark
    public byte[] credentialRead(SeededDatabase data) {
        UUID owner = http.verify(token).orElseThrow();
        if (data.owners.findById(owner).filter(o -> !o.disabled()).isEmpty()) {
            throw new IllegalStateException("owner missing");
        }
        Credential credential = data.credentials.find(owner, data.userIds[0], BenchData.PROVIDER_ID).orElseThrow();
        return http.answer(BenchData.TRIMBLE, credential);
    }
}
