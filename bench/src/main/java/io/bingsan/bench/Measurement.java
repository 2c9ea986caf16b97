package io.bingsan.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One measured window: successful operations per second, their latency percentiles (exact, from
 * every sample), failures by status, CPU per successful operation (the server's, its database's and
 * this generator's), the shares of the machine's CPU that other processes and other guests (steal)
 * took meanwhile, and workload-specific figures.
 */
record Measurement(
    String name,
    int concurrency,
    long ops,
    double seconds,
    double opsPerSecond,
    double p50Ms,
    double p99Ms,
    double p999Ms,
    double maxMs,
    Map<String, Long> failures,
    double serverCpuMsPerOp,
    double databaseCpuMsPerOp,
    double generatorCpuMsPerOp,
    double otherCpuPercent,
    double stealPercent,
    Map<String, Object> extra) {

  static Measurement of(
      String name,
      int concurrency,
      double seconds,
      List<ClosedLoop.Recorder> recorders,
      Machine.Usage cpu) {
    long[] all =
        recorders.stream()
            .map(ClosedLoop.Recorder::latencies)
            .flatMapToLong(Arrays::stream)
            .toArray();
    Arrays.sort(all);
    Map<String, Long> failures = new TreeMap<>();
    Map<String, Object> extra = new LinkedHashMap<>();
    for (ClosedLoop.Recorder recorder : recorders) {
      recorder
          .failures()
          .forEach((status, count) -> failures.merge(String.valueOf(status), count, Long::sum));
      if (recorder.lastFailure() != null) {
        extra.put("lastFailure", recorder.lastFailure());
      }
    }
    long ops = all.length;
    return new Measurement(
        name,
        concurrency,
        ops,
        seconds,
        ops / seconds,
        percentile(all, 0.50),
        percentile(all, 0.99),
        percentile(all, 0.999),
        ops == 0 ? Double.NaN : all[all.length - 1] / 1e6,
        failures,
        ops == 0 ? Double.NaN : cpu.serverMillis() / ops,
        ops == 0 ? Double.NaN : cpu.databaseMillis() / ops,
        ops == 0 ? Double.NaN : cpu.generatorMillis() / ops,
        percentOfMachine(cpu.otherMillis(), seconds),
        percentOfMachine(cpu.stealMillis(), seconds),
        extra);
  }

  /** {@code millis} of CPU as a share of all the machine's CPUs over {@code seconds}. */
  static double percentOfMachine(double millis, double seconds) {
    return 100 * millis / (seconds * 1000 * Runtime.getRuntime().availableProcessors());
  }

  /** Nearest-rank percentile in milliseconds. */
  static double percentile(long[] sortedNanos, double quantile) {
    if (sortedNanos.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(quantile * sortedNanos.length);
    return sortedNanos[Math.max(0, rank - 1)] / 1e6;
  }

  long failureCount() {
    return failures.values().stream().mapToLong(Long::longValue).sum();
  }

  Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", name);
    json.put("concurrency", concurrency);
    json.put("ops", ops);
    json.put("seconds", round(seconds));
    json.put("opsPerSecond", round(opsPerSecond));
    json.put("p50Ms", round(p50Ms));
    json.put("p99Ms", round(p99Ms));
    json.put("p999Ms", round(p999Ms));
    json.put("maxMs", round(maxMs));
    json.put("failures", failures);
    json.put("serverCpuMsPerOp", round(serverCpuMsPerOp));
    json.put("databaseCpuMsPerOp", round(databaseCpuMsPerOp));
    json.put("generatorCpuMsPerOp", round(generatorCpuMsPerOp));
    json.put("otherCpuPercent", round(otherCpuPercent));
    json.put("stealPercent", round(stealPercent));
    json.put("extra", extra);
    return json;
  }

  /** Three significant decimals are plenty and keep result files readable. */
  static double round(double value) {
    return Double.isFinite(value) ? Math.round(value * 1000) / 1000.0 : value;
  }
}
