package io.bingsan.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code run} drives one Iceberg REST catalog through the workloads and writes a result file;
 * {@code compare} puts result files side by side, the first as the base of every ratio.
 */
public final class Main {
  private static final String USAGE =
      """
      usage:
        run --catalog NAME --url URL [--warehouse W] [--pid PID] [--startup-ms MS] [--version TEXT]
            [--db-pid POSTMASTER_PID --db-name DATABASE]
            [--scale full|smoke] [--only load,big,create,commit,list] [--out FILE]
            [--jfr DIR] [--gzip true|false]
        compare [--markdown] [--targets] FIRST.json OTHER.json...
      """;

  /** Workload groups in the order they run; listing needs the tables that creating makes. */
  private static final List<String> GROUPS = List.of("load", "big", "create", "commit", "list");

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.print(USAGE);
      System.exit(2);
    }
    List<String> rest = List.of(args).subList(1, args.length);
    switch (args[0]) {
      case "run" -> run(options(rest));
      case "compare" -> compare(rest);
      default -> {
        System.err.print(USAGE);
        System.exit(2);
      }
    }
  }

  private static Map<String, String> options(List<String> args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.size(); i += 2) {
      if (!args.get(i).startsWith("--") || i + 1 >= args.size()) {
        throw new IllegalArgumentException(
            "Expected --name value pairs, got " + args + "\n" + USAGE);
      }
      options.put(args.get(i).substring(2), args.get(i + 1));
    }
    return options;
  }

  private static void run(Map<String, String> options) throws Exception {
    String catalog = require(options, "catalog");
    Settings settings = Settings.named(options.getOrDefault("scale", "full"));
    long pid = Long.parseLong(options.getOrDefault("pid", "0"));
    boolean gzip = Boolean.parseBoolean(options.getOrDefault("gzip", "true"));
    Set<String> only = Set.of(options.getOrDefault("only", String.join(",", GROUPS)).split(","));
    Path out = Path.of(options.getOrDefault("out", "bench/results/" + catalog + ".json"));
    Path jfr = options.containsKey("jfr") ? Path.of(options.get("jfr")) : null;

    Machine machine =
        new Machine(
            pid,
            Long.parseLong(options.getOrDefault("db-pid", "0")),
            options.getOrDefault("db-name", ""));
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("catalog", catalog);
    result.put("version", options.getOrDefault("version", ""));
    result.put("url", require(options, "url"));
    result.put("startedAt", Instant.now().toString());
    result.put("gzip", gzip);
    result.put("profiled", jfr != null);
    result.put("settings", settings.toJson());
    Map<String, Object> machineJson = new LinkedHashMap<>();
    machineJson.put("cpus", Runtime.getRuntime().availableProcessors());
    machineJson.put("loadAverageBefore", Machine.loadAverage());
    result.put("machine", machineJson);
    Map<String, Object> server = new LinkedHashMap<>();
    server.put("pid", pid);
    server.put(
        "startupMs",
        options.containsKey("startup-ms") ? Long.parseLong(options.get("startup-ms")) : null);
    server.put("rssIdleMiB", Measurement.round(machine.rssMiB()));
    result.put("server", server);

    IcebergRest rest =
        IcebergRest.discover(
            URI.create(require(options, "url")), options.getOrDefault("warehouse", ""), gzip);
    List<Map<String, Object>> measurements = new ArrayList<>();
    result.put("measurements", measurements);
    List<String> errors = new ArrayList<>();
    result.put("errors", errors);
    Workloads workloads =
        new Workloads(
            rest,
            settings,
            new ClosedLoop(
                machine,
                new Profiler(pid, jfr),
                settings.stealWait(),
                settings.maxStealPercent()),
            Long.toString(System.currentTimeMillis() / 1000, 36),
            measurement -> {
              measurements.add(measurement.toJson());
              System.out.printf(
                  "%-32s %10s ops/s  p50 %8s ms  p99 %8s ms  failures %s  %s%n",
                  measurement.name(),
                  TextTable.number(measurement.opsPerSecond()),
                  TextTable.number(measurement.p50Ms()),
                  TextTable.number(measurement.p99Ms()),
                  measurement.failureCount(),
                  Report.notes(measurement.extra()));
            });
    workloads.setUp();
    long deadline = System.nanoTime() + settings.maxRun().toNanos();
    for (String group : GROUPS) {
      if (!only.contains(group)) {
        continue;
      }
      if (System.nanoTime() > deadline) {
        errors.add(
            group + ": skipped, the run's time bound of " + settings.maxRun() + " was reached");
        continue;
      }
      try {
        switch (group) {
          case "load" -> workloads.loadTable();
          case "big" -> workloads.bigTable();
          case "create" -> workloads.createTable();
          case "commit" -> workloads.commits();
          case "list" -> workloads.listTables();
          default -> throw new IllegalStateException(group);
        }
      } catch (Exception e) {
        // One catalog failing one workload must not cost the comparison the others.
        errors.add(group + ": " + e);
        System.err.println(group + " failed: " + e);
      }
    }
    server.put("rssAfterMiB", Measurement.round(machine.rssMiB()));
    Thread.sleep(settings.settle());
    server.put("rssSettledMiB", Measurement.round(machine.rssMiB()));
    machineJson.put("loadAverageAfter", Machine.loadAverage());
    result.put("finishedAt", Instant.now().toString());
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, Json.pretty(result));
    System.out.println();
    System.out.print(Report.single(result));
    errors.forEach(error -> System.out.println("error: " + error));
    System.out.println("wrote " + out);
  }

  private static void compare(List<String> args) throws IOException {
    boolean markdown = args.contains("--markdown");
    boolean targets = args.contains("--targets");
    List<Map<String, Object>> results = new ArrayList<>();
    for (String arg : args) {
      if (!arg.startsWith("--")) {
        results.add(Json.object(Json.parse(Files.readString(Path.of(arg)))));
      }
    }
    if (results.isEmpty()) {
      throw new IllegalArgumentException(USAGE);
    }
    System.out.print(Report.compare(results, markdown));
    if (targets) {
      Map<String, Object> reference =
          results.stream()
              .filter(r -> "reference".equals(r.get("catalog")))
              .findFirst()
              .orElse(null);
      System.out.println();
      System.out.print(Targets.evaluate(results.get(0), reference, markdown));
    }
  }

  private static String require(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null) {
      throw new IllegalArgumentException("--" + name + " is required\n" + USAGE);
    }
    return value;
  }
}
