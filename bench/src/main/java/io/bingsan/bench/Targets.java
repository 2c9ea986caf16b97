package io.bingsan.bench;

import java.util.List;
import java.util.Map;

/**
 * The performance issue's targets, checked on a Bingsan result against the reference server's (the
 * result whose catalog is {@code reference}). A target whose figures are missing is "n/a".
 */
final class Targets {
  private Targets() {}

  private static final double BYTES_PER_MIB = 1024 * 1024;

  static String evaluate(
      Map<String, Object> bingsan, Map<String, Object> reference, boolean markdown) {
    TextTable table = new TextTable().row(List.of("target", "Bingsan", "reference", "verdict"));
    throughput(
        table, "loadTable c=8: ≥ 3× reference ops/s", "loadTable c=8", bingsan, reference, 3);
    throughput(
        table, "loadTable c=64: ≥ 3× reference ops/s", "loadTable c=64", bingsan, reference, 3);
    ceiling(table, "loadTable c=64: p99 ≤ 5 ms", get(bingsan, "loadTable c=64", "p99Ms"), 5);
    throughput(
        table,
        "304 path (If-None-Match): ≥ 5× reference ops/s",
        "bigTable If-None-Match",
        bingsan,
        reference,
        5);
    ceiling(
        table,
        "10,000 snapshots, refs: p99 ≤ 5 ms",
        get(bingsan, "bigTable snapshots=refs", "p99Ms"),
        5);
    Number all = get(bingsan, "bigTable snapshots=all", "p50Ms");
    Number referenceAll = get(reference, "bigTable snapshots=all", "p50Ms");
    table.row(
        List.of(
            "10,000 snapshots, all: p50 ≤ 1/3 of reference's",
            ms(all),
            ms(referenceAll),
            verdict(all, referenceAll, (b, r) -> b <= r / 3)));
    String distinct = commitName(bingsan, "commit distinct");
    String hot = commitName(bingsan, "commit one table");
    throughput(
        table,
        "commits, distinct tables: ≥ 2× reference commits/s",
        distinct,
        bingsan,
        reference,
        2);
    throughput(
        table, "commits, one hot table: ≥ 2× reference acknowledged/s", hot, bingsan, reference, 2);
    table.row(
        List.of(
            "commits: zero lost, zero forks",
            lostAndForks(bingsan, distinct, hot),
            lostAndForks(reference, distinct, hot),
            verdict(sumIntegrity(bingsan, distinct, hot), 0, (b, zero) -> b == 0)));
    ceiling(
        table,
        "listTables 10,000 unpaged: p50 ≤ 20 ms",
        get(bingsan, "listTables unpaged", "p50Ms"),
        20);
    Number rss = (Number) Json.at(bingsan, "server", "rssSettledMiB");
    Number rssMegabytes =
        rss == null || rss.doubleValue() < 0 ? null : rss.doubleValue() * BYTES_PER_MIB / 1e6;
    table.row(
        List.of(
            "RSS after the run, settled, ≤ 400 MB (defaults)",
            rssMegabytes == null ? "–" : TextTable.number(rssMegabytes) + " MB",
            mb(Json.at(reference, "server", "rssSettledMiB")),
            verdict(rssMegabytes, 400, (b, limit) -> b <= limit)));
    Number startup = (Number) Json.at(bingsan, "server", "startupMs");
    table.row(
        List.of(
            "start-up to first 200 ≤ 3 s",
            ms(startup),
            ms((Number) Json.at(reference, "server", "startupMs")),
            verdict(startup, 3000, (b, limit) -> b <= limit)));
    return table.render(markdown);
  }

  /** Commit workloads are named after their client count; find the run's own name. */
  private static String commitName(Map<String, Object> result, String prefix) {
    for (Object m : Json.array(result.get("measurements"))) {
      String name = (String) Json.at(m, "name");
      if (name.startsWith(prefix)) {
        return name;
      }
    }
    return prefix;
  }

  private static void throughput(
      TextTable table,
      String target,
      String workload,
      Map<String, Object> bingsan,
      Map<String, Object> reference,
      double factor) {
    Number b = get(bingsan, workload, "opsPerSecond");
    Number r = get(reference, workload, "opsPerSecond");
    String ratio =
        b != null && r != null && r.doubleValue() > 0
            ? " (" + TextTable.number(b.doubleValue() / r.doubleValue()) + "×)"
            : "";
    table.row(
        List.of(
            target,
            TextTable.number(b) + ratio,
            TextTable.number(r),
            verdict(b, r, (x, y) -> x >= factor * y)));
  }

  private static void ceiling(TextTable table, String target, Number value, double limit) {
    table.row(List.of(target, ms(value), "", verdict(value, limit, (x, y) -> x <= y)));
  }

  private interface Check {
    boolean holds(double bingsan, double other);
  }

  private static String verdict(Number bingsan, Number other, Check check) {
    if (bingsan == null || other == null || !Double.isFinite(bingsan.doubleValue())) {
      return "n/a";
    }
    return check.holds(bingsan.doubleValue(), other.doubleValue()) ? "met" : "missed";
  }

  private static Number get(Map<String, Object> result, String workload, String field) {
    Map<String, Object> measurement = result == null ? null : Report.measurement(result, workload);
    return measurement == null ? null : (Number) measurement.get(field);
  }

  private static Number sumIntegrity(Map<String, Object> result, String... workloads) {
    long sum = 0;
    for (String workload : workloads) {
      Map<String, Object> m = Report.measurement(result, workload);
      if (m == null) {
        return null;
      }
      sum +=
          ((Number) Json.at(m, "extra", "lost")).longValue()
              + ((Number) Json.at(m, "extra", "forks")).longValue();
    }
    return sum;
  }

  private static String lostAndForks(Map<String, Object> result, String distinct, String hot) {
    if (result == null) {
      return "–";
    }
    StringBuilder out = new StringBuilder();
    for (String workload : List.of(distinct, hot)) {
      Map<String, Object> m = Report.measurement(result, workload);
      if (m != null) {
        out.append(out.isEmpty() ? "" : "; ")
            .append(Json.at(m, "extra", "lost"))
            .append(" lost, ")
            .append(Json.at(m, "extra", "forks"))
            .append(" forks");
      }
    }
    return out.isEmpty() ? "–" : out.toString();
  }

  private static String ms(Number value) {
    return value == null ? "–" : TextTable.number(value) + " ms";
  }

  private static String mb(Object mib) {
    return mib instanceof Number n && n.doubleValue() >= 0
        ? TextTable.number(n.doubleValue() * BYTES_PER_MIB / 1e6) + " MB"
        : "–";
  }
}
