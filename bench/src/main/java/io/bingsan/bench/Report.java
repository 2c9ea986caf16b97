package io.bingsan.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Result files as tables: one run's, or several side by side with ratios against the first. */
final class Report {
  private Report() {}

  /** Workload-specific figures worth a column, in the order they are shown. */
  private static final List<String> NOTES =
      List.of(
          "snapshots",
          "notModified",
          "acknowledged",
          "conflictRatio",
          "lost",
          "forks",
          "listed",
          "pages",
          "stealWaitSeconds",
          "lastFailure");

  static String single(Map<String, Object> result) {
    TextTable table =
        new TextTable()
            .row(
                List.of(
                    "workload",
                    "c",
                    "ops/s",
                    "p50 ms",
                    "p99 ms",
                    "p999 ms",
                    "server CPU ms/op",
                    "db CPU ms/op",
                    "generator CPU ms/op",
                    "others' CPU %",
                    "steal %",
                    "failures",
                    "notes"));
    for (Object item : Json.array(result.get("measurements"))) {
      Map<String, Object> m = Json.object(item);
      table.row(
          List.of(
              (String) m.get("name"),
              String.valueOf(m.get("concurrency")),
              TextTable.number(m.get("opsPerSecond")),
              TextTable.number(m.get("p50Ms")),
              TextTable.number(m.get("p99Ms")),
              TextTable.number(m.get("p999Ms")),
              TextTable.number(m.get("serverCpuMsPerOp")),
              TextTable.number(m.get("databaseCpuMsPerOp")),
              TextTable.number(m.get("generatorCpuMsPerOp")),
              TextTable.number(m.get("otherCpuPercent")),
              TextTable.number(m.get("stealPercent")),
              Json.object(m.get("failures")).isEmpty() ? "0" : Json.write(m.get("failures")),
              notes(Json.object(m.get("extra")))));
    }
    Map<String, Object> server = Json.object(result.get("server"));
    return ("%s: start-up %s ms, RSS idle %s MiB, after %s MiB, settled %s MiB;"
            + " load average %s → %s%n%s")
        .formatted(
            result.get("catalog"),
            TextTable.number(server.get("startupMs")),
            TextTable.number(server.get("rssIdleMiB")),
            TextTable.number(server.get("rssAfterMiB")),
            TextTable.number(server.get("rssSettledMiB")),
            Json.at(result, "machine", "loadAverageBefore"),
            Json.at(result, "machine", "loadAverageAfter"),
            table.render(false));
  }

  static String notes(Map<String, Object> extra) {
    List<String> notes = new ArrayList<>();
    for (String key : NOTES) {
      if (extra.containsKey(key)) {
        notes.add(key + "=" + extra.get(key));
      }
    }
    return String.join(" ", notes);
  }

  /** Every workload's figures for each result, with each figure's ratio to the first result's. */
  static String compare(List<Map<String, Object>> results, boolean markdown) {
    List<String> header = new ArrayList<>(List.of("workload", "metric"));
    results.forEach(result -> header.add((String) result.get("catalog")));
    TextTable table = new TextTable().row(header);
    Set<String> names = new LinkedHashSet<>();
    for (Map<String, Object> result : results) {
      for (Object m : Json.array(result.get("measurements"))) {
        names.add((String) Json.at(m, "name"));
      }
    }
    for (String name : names) {
      boolean first = true;
      for (String[] metric :
          new String[][] {
            {"opsPerSecond", "ops/s"},
            {"p50Ms", "p50 ms"},
            {"p99Ms", "p99 ms"},
            {"serverCpuMsPerOp", "server CPU ms/op"},
            {"databaseCpuMsPerOp", "db CPU ms/op"},
            {"generatorCpuMsPerOp", "generator CPU ms/op"},
            {"otherCpuPercent", "others' CPU %"},
            {"stealPercent", "steal %"}
          }) {
        List<Object> values =
            results.stream().map(result -> Json.at(measurement(result, name), metric[0])).toList();
        table.row(withRatios(first ? name : "", metric[1], values));
        first = false;
      }
      for (String extra : List.of("conflictRatio", "lost", "forks", "listed")) {
        List<Object> values =
            results.stream()
                .map(result -> Json.at(measurement(result, name), "extra", extra))
                .toList();
        if (values.stream().anyMatch(v -> v != null)) {
          table.row(withRatios("", extra, values));
        }
      }
    }
    for (String[] server :
        new String[][] {
          {"startupMs", "start-up ms"},
          {"rssIdleMiB", "RSS idle MiB"},
          {"rssAfterMiB", "RSS after MiB"},
          {"rssSettledMiB", "RSS settled MiB"}
        }) {
      List<Object> values =
          results.stream().map(result -> Json.at(result, "server", server[0])).toList();
      table.row(withRatios("server", server[1], values));
    }
    List<Object> loads =
        results.stream()
            .map(result -> (Object) String.valueOf(Json.at(result, "machine", "loadAverageBefore")))
            .toList();
    List<String> loadRow = new ArrayList<>(List.of("machine", "load avg before"));
    loads.forEach(load -> loadRow.add(String.valueOf(load)));
    table.row(loadRow);
    return table.render(markdown);
  }

  private static List<String> withRatios(String name, String metric, List<Object> values) {
    List<String> row = new ArrayList<>(List.of(name, metric));
    Object base = values.get(0);
    for (int i = 0; i < values.size(); i++) {
      String cell = TextTable.number(values.get(i));
      if (i > 0
          && base instanceof Number b
          && values.get(i) instanceof Number v
          && b.doubleValue() != 0
          && Double.isFinite(v.doubleValue())) {
        cell += " (" + TextTable.number(v.doubleValue() / b.doubleValue()) + "×)";
      }
      row.add(cell);
    }
    return row;
  }

  /** The named measurement of a result, or null when that run did not have it. */
  static Map<String, Object> measurement(Map<String, Object> result, String name) {
    for (Object m : Json.array(result.get("measurements"))) {
      if (name.equals(Json.at(m, "name"))) {
        return Json.object(m);
      }
    }
    return null;
  }
}
