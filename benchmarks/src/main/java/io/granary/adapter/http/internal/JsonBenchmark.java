package io.granary.adapter.http.internal;

import io.granary.benchmarks.BenchData;
import io.granary.core.domain.Credential;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Turning a Trimble credential into the bytes of the answer, as CredentialEndpoints.answer does. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class JsonBenchmark {

    CredentialJson view;
    Json json;
    Credential credential;
    Map<String, Object> viewed;

    @Setup
    public void setUp() {
        view = new CredentialJson(false);
        json = new Json();
        credential = BenchData.trimbleCredential(UUID.randomUUID(), UUID.randomUUID());
        viewed = view.credential(BenchData.TRIMBLE, credential);
    }

    /** The Leaf-shaped map: masking and the microsecond timestamp formatting. */
    @Benchmark
    public Map<String, Object> view() {
        return view.credential(BenchData.TRIMBLE, credential);
    }

    /** Jackson alone, on a ready map. */
    @Benchmark
    public byte[] serialize() {
        return json.write(viewed);
    }

    /** Both, as one request does them. */
    @Benchmark
    public byte[] viewAndSerialize() {
        return json.write(view.credential(BenchData.TRIMBLE, credential));
    }
}
