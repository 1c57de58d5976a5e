package io.granary.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Adds "cpu" (microseconds of the benchmark threads' own CPU time per operation) to each iteration. On a shared
 * machine, wall time per operation includes waiting for a core behind other processes; thread CPU time does not,
 * so it is the figure to hold against the server's CPU budget per request. Use with {@code -prof
 * io.granary.benchmarks.ThreadCpuProfiler}.
 */
public final class ThreadCpuProfiler implements InternalProfiler {

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    /** CPU nanoseconds each worker thread had used at the end of the previous iteration. */
    private final Map<Long, Long> seen = new HashMap<>();

    @Override
    public String getDescription() {
        return "CPU time of the benchmark threads per operation (ThreadMXBean)";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        // Workers are pooled across iterations and idle between them: the delta from one end to the next is one
        // iteration's work. The first iteration also counts thread start and trial setup, but it is a warm-up.
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        long used = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().contains("-jmh-worker-")) {
                long now = threads.getThreadCpuTime(t.getId());
                Long before = seen.put(t.getId(), now);
                used += now - (before == null ? 0 : before);
            }
        }
        long ops = result.getMetadata().getAllOps();
        double micros = ops == 0 ? Double.NaN : used / 1_000.0 / ops;
        return List.of(new ScalarResult("cpu", micros, "us/op", AggregationPolicy.AVG));
    }
}
