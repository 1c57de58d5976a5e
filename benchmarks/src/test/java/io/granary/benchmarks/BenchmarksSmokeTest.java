package io.granary.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.adapter.http.internal.JsonBenchmark;
import io.granary.adapter.http.internal.JwtBenchmark;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/** Calls every benchmark once, so a change to the code under test cannot leave one measuring an error path. */
class BenchmarksSmokeTest {

    private static final Blackhole BH = new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

    @Test
    void jwt() throws Exception {
        JwtBenchmark b = new JwtBenchmark();
        b.setUp();
        assertTrue(b.tokensVerify().isPresent());
        assertTrue(b.nimbusParseAndHmac());
        assertEquals(32, b.jdkHmacOnly().length);
        b.nimbusParse();
    }

    @Test
    void sealer() throws Exception {
        SealerBenchmark b = new SealerBenchmark();
        b.setUp();
        assertEquals(b.plaintext, b.open());
        assertEquals(b.plaintext, b.openCachedCipher());
        assertEquals(b.plaintext, b.sealer.open(b.seal(), b.context));
        assertEquals(b.plaintext, b.sealer.open(b.sealCachedCipher(), b.context));
        b.cipherGetInstance();
    }

    @Test
    void json() {
        JsonBenchmark b = new JsonBenchmark();
        b.setUp();
        String answer = new String(b.viewAndSerialize(), StandardCharsets.UTF_8);
        assertTrue(answer.contains("\"clientSecret\":\"****alue\"") && answer.contains("\"accessToken\":\"at-"), answer);
        assertEquals(answer, new String(b.serialize(), StandardCharsets.UTF_8));
        assertEquals(12, b.view().size()); // 5 common members, 4 Trimble fields, scopes, message, expiry
    }

    @Test
    void sqliteAndTheWholeRead() throws Exception {
        SeededDatabase data = new SeededDatabase();
        data.users = 50;
        data.open();
        try {
            SqliteBenchmark b = new SqliteBenchmark();
            b.prepare(data);
            try {
                assertTrue(b.ownerFindById(data).isPresent());
                assertEquals(4, b.credentialFind(data).orElseThrow().fields().size());
                assertEquals(4, b.credentialFindSpread(data).orElseThrow().fields().size());
                assertTrue(b.credentialFindNoCrypto(data).orElseThrow().field("refreshToken").startsWith("g1:"));
                b.jdbcOwnerReusedStatement(data, BH);
                b.jdbcCredentialReusedStatement(data, BH);
                b.jdbcCredentialNewStatement(data, BH);
            } finally {
                b.close();
            }
            ApiReadBenchmark api = new ApiReadBenchmark();
            api.setUp(data);
            assertTrue(new String(api.credentialRead(data), StandardCharsets.UTF_8).contains("\"status\":\"VALID\""));
        } finally {
            data.close();
        }
    }

    /** The generated harness and ThreadCpuProfiler, in-process (no fork) for 0.1 s. */
    @Test
    void jmhRunsWithTheCpuProfiler() throws Exception {
        RunResult run = new Runner(new OptionsBuilder().include(JsonBenchmark.class.getName() + ".serialize$")
                .forks(0).warmupIterations(0).measurementIterations(1).measurementTime(TimeValue.milliseconds(100))
                .addProfiler(ThreadCpuProfiler.class).verbosity(VerboseMode.SILENT).build()).runSingle();
        double cpu = run.getSecondaryResults().get("cpu").getScore();
        assertTrue(cpu > 0 && cpu < 1_000, "cpu us/op: " + cpu);
    }
}
