package io.granary.benchmarks;

import java.util.Collection;
import java.util.Locale;
import java.util.stream.Collectors;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.util.Statistics;

/**
 * JMH's command line (same options as org.openjdk.jmh.Main, which lists and explains them), plus a compact table
 * at the end: mean wall time with its 99.9% interval, the best iteration (least disturbed by other processes on
 * a shared machine) and, with {@link ThreadCpuProfiler}, the threads' CPU time per operation.
 */
public final class RunBenchmarks {

    private RunBenchmarks() {
    }

    public static void main(String[] args) throws Exception {
        Collection<RunResult> results = new Runner(new CommandLineOptions(args)).run();
        System.out.println();
        System.out.println("== JMH results: per operation, microseconds unless marked ==");
        System.out.printf(Locale.ROOT, "%-46s %10s %9s %10s %10s%n", "benchmark", "mean", "± 99.9%", "best iter", "cpu/op");
        for (RunResult run : results) {
            Result<?> primary = run.getPrimaryResult();
            Statistics stats = primary.getStatistics();
            Result<?> cpu = run.getSecondaryResults().get("cpu");
            String name = run.getParams().getBenchmark().replaceFirst("^io\\.granary\\.(adapter\\.http\\.internal|benchmarks)\\.", "");
            String params = run.getParams().getParamsKeys().stream()
                    .map(k -> k + "=" + run.getParams().getParam(k)).collect(Collectors.joining(","));
            String unit = primary.getScoreUnit().equals("us/op") ? "" : " " + primary.getScoreUnit();
            double best = run.getParams().getMode() == Mode.Throughput ? stats.getMax() : stats.getMin();
            System.out.printf(Locale.ROOT, "%-46s %10.2f %9.2f %10.2f %10s%s%s%n", name, primary.getScore(),
                    primary.getScoreError(), best, cpu == null ? "-" : String.format(Locale.ROOT, "%.2f", cpu.getScore()),
                    unit, params.isEmpty() ? "" : "  (" + params + ")");
        }
    }
}
