package io.bingsan.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code /proc} says about the server under test, the PostgreSQL it uses and the machine: the
 * CPU a workload cost them, the server's resident memory, and the load others put on the machine.
 */
final class Machine {
  /** Linux reports CPU time in USER_HZ ticks, 100 a second on every architecture we run on. */
  private static final double MILLIS_PER_TICK = 10.0;

  private final long serverPid;

  /**
   * @param serverPid the catalog's process; 0 when unknown (CPU and memory are then not reported)
   */
  Machine(long serverPid) {
    this.serverPid = serverPid;
  }

  boolean knowsServer() {
    return serverPid > 0;
  }

  /**
   * CPU used so far, in milliseconds: the server's, and each PostgreSQL process's by pid, so that
   * backends that come and go between two readings do not count against the workload.
   */
  record Cpu(double serverMillis, Map<Long, Double> databaseMillis) {
    /** Server and database CPU used between {@code earlier} and this reading. */
    Usage minus(Cpu earlier) {
      double database = 0;
      for (Map.Entry<Long, Double> process : databaseMillis.entrySet()) {
        database += process.getValue() - earlier.databaseMillis.getOrDefault(process.getKey(), 0.0);
      }
      return new Usage(serverMillis - earlier.serverMillis, database);
    }
  }

  record Usage(double serverMillis, double databaseMillis) {}

  Cpu cpu() {
    return new Cpu(
        knowsServer() ? cpuMillis(Path.of("/proc", Long.toString(serverPid))) : 0,
        databaseCpuMillis());
  }

  /** The server's resident set in MiB (VmRSS), or -1 when unknown. */
  double rssMiB() {
    if (!knowsServer()) {
      return -1;
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(serverPid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("Server process " + serverPid + " is gone", e);
    }
    return -1;
  }

  /** The 1, 5 and 15 minute load averages. */
  static List<Double> loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return List.of(
          Double.parseDouble(fields[0]),
          Double.parseDouble(fields[1]),
          Double.parseDouble(fields[2]));
    } catch (IOException e) {
      return List.of();
    }
  }

  /**
   * PostgreSQL forks a backend per connection; the catalog's pooled connections live through a
   * workload. Other databases on the same server add to the sum, which makes it an upper bound.
   */
  private static Map<Long, Double> databaseCpuMillis() {
    Map<Long, Double> byPid = new HashMap<>();
    try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path process : processes) {
        try {
          if (Files.readString(process.resolve("comm")).trim().equals("postgres")) {
            byPid.put(Long.parseLong(process.getFileName().toString()), cpuMillis(process));
          }
        } catch (IOException | IllegalStateException exited) {
          // A backend that exited between listing and reading took its CPU time with it.
        }
      }
    } catch (IOException e) {
      return Map.of();
    }
    return byPid;
  }

  private static double cpuMillis(Path process) {
    try {
      String stat = Files.readString(process.resolve("stat"));
      // The command name may hold spaces and parentheses; fields are counted after its last ')'.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long userTicks = Long.parseLong(fields[11]);
      long systemTicks = Long.parseLong(fields[12]);
      return (userTicks + systemTicks) * MILLIS_PER_TICK;
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read " + process, e);
    }
  }
}
