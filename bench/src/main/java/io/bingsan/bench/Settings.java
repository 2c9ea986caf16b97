package io.bingsan.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sizes and windows of a run. {@code full} is the measured configuration; {@code smoke} runs every
 * workload on small counts in well under a minute, to check a catalog or the generator itself.
 * {@code settle} is how long the server idles after the workloads before its memory is read again:
 * a server may give back memory a burst grew, and what it holds at rest is what a node costs.
 * A measured window starts once the hypervisor took at most {@code maxStealPercent} of the CPU
 * over the last second of its warm-up, which is extended a second at a time for at most {@code
 * stealWait}: a busy neighbouring guest slows every process here at once.
 */
record Settings(
    String scale,
    Duration jitWarmup,
    Duration warmup,
    Duration measure,
    int loadTables,
    int snapshotsPerLoadTable,
    List<Integer> loadConcurrency,
    int bigSnapshots,
    int bigBatch,
    int bigConcurrency,
    int createWarmup,
    int createSequentialMax,
    Duration createFillWindow,
    int listTables,
    int commitClients,
    Duration commitJitWarmup,
    int pageSize,
    long maxOpsPerWindow,
    Duration maxRun,
    Duration settle,
    Duration stealWait,
    double maxStealPercent) {

  static Settings named(String scale) {
    return switch (scale) {
      case "full" ->
          new Settings(
              scale,
              Duration.ofSeconds(10),
              Duration.ofSeconds(3),
              Duration.ofSeconds(8),
              100,
              10,
              List.of(1, 8, 64),
              10_000,
              500,
              8,
              50,
              1_000,
              Duration.ofSeconds(150),
              10_000,
              8,
              Duration.ofSeconds(30),
              100,
              5_000_000,
              Duration.ofMinutes(12),
              Duration.ofSeconds(40),
              Duration.ofSeconds(10),
              5.0);
      case "smoke" ->
          new Settings(
              scale,
              Duration.ofSeconds(1),
              Duration.ofMillis(300),
              Duration.ofSeconds(1),
              10,
              3,
              List.of(1, 8, 64),
              600,
              200,
              8,
              5,
              20,
              Duration.ofSeconds(30),
              250,
              8,
              Duration.ofSeconds(1),
              100,
              1_000_000,
              Duration.ofMinutes(3),
              Duration.ofSeconds(1),
              Duration.ZERO,
              5.0);
      default -> throw new IllegalArgumentException("Unknown scale " + scale + " (full or smoke)");
    };
  }

  Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("scale", scale);
    json.put("jitWarmupSeconds", jitWarmup.toMillis() / 1000.0);
    json.put("warmupSeconds", warmup.toMillis() / 1000.0);
    json.put("measureSeconds", measure.toMillis() / 1000.0);
    json.put("loadTables", loadTables);
    json.put("snapshotsPerLoadTable", snapshotsPerLoadTable);
    json.put("loadConcurrency", loadConcurrency);
    json.put("bigSnapshots", bigSnapshots);
    json.put("bigBatch", bigBatch);
    json.put("bigConcurrency", bigConcurrency);
    json.put("createSequentialMax", createSequentialMax);
    json.put("createFillSeconds", createFillWindow.toSeconds());
    json.put("listTables", listTables);
    json.put("commitClients", commitClients);
    json.put("commitJitWarmupSeconds", commitJitWarmup.toSeconds());
    json.put("pageSize", pageSize);
    json.put("settleSeconds", settle.toSeconds());
    json.put("stealWaitSeconds", stealWait.toSeconds());
    json.put("maxStealPercent", maxStealPercent);
    return json;
  }
}
