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
 * CPU a workload cost them, the server's resident memory, the CPU everything else on the machine
 * took meanwhile (other people's test runs on a shared machine), and the CPU the hypervisor gave
 * to other guests instead (steal).
 */
final class Machine {
  /** Linux reports CPU time in USER_HZ ticks, 100 a second on every architecture we run on. */
  private static final double MILLIS_PER_TICK = 10.0;

  private static final Path SELF = Path.of("/proc/self");

  private final long serverPid;
  private final long postmasterPid;
  private final String database;

  /**
   * @param serverPid the catalog's process; 0 when unknown (CPU and memory are then not reported)
   * @param postmasterPid the PostgreSQL server the catalog uses; 0 when unknown
   * @param database the catalog's database: only its backends, and the server's shared background
   *     processes, count as its database CPU
   */
  Machine(long serverPid, long postmasterPid, String database) {
    this.serverPid = serverPid;
    this.postmasterPid = postmasterPid;
    this.database = database;
  }

  /**
   * CPU used so far, in milliseconds: the server's, each database process's by pid (backends come
   * and go between two readings), this generator's, the whole machine's busy time, and its steal.
   */
  record Cpu(
      double serverMillis,
      Map<Long, Double> databaseMillis,
      double generatorMillis,
      double machineBusyMillis,
      double stealMillis) {
    /** What was used between {@code earlier} and this reading. */
    Usage minus(Cpu earlier) {
      double database = 0;
      for (Map.Entry<Long, Double> process : databaseMillis.entrySet()) {
        database += process.getValue() - earlier.databaseMillis.getOrDefault(process.getKey(), 0.0);
      }
      double server = serverMillis - earlier.serverMillis;
      double generator = generatorMillis - earlier.generatorMillis;
      double busy = machineBusyMillis - earlier.machineBusyMillis;
      return new Usage(
          server,
          database,
          generator,
          Math.max(0, busy - server - database - generator),
          stealMillis - earlier.stealMillis);
    }
  }

  /**
   * @param generatorMillis this load generator's own CPU, which shares the machine with the server
   * @param otherMillis CPU that neither the catalog, its database nor the generator used
   * @param stealMillis CPU time this machine's CPUs were ready to run but the hypervisor ran
   *     another guest: a busy neighbour, invisible to every process here
   */
  record Usage(
      double serverMillis,
      double databaseMillis,
      double generatorMillis,
      double otherMillis,
      double stealMillis) {}

  Cpu cpu() {
    MachineTicks machine = machineTicks();
    return new Cpu(
        serverPid > 0 ? cpuMillis(Path.of("/proc", Long.toString(serverPid))) : 0,
        databaseCpuMillis(),
        cpuMillis(SELF),
        machine.busy() * MILLIS_PER_TICK,
        machine.steal() * MILLIS_PER_TICK);
  }

  /** The server's resident set in MiB (VmRSS), or -1 when unknown or the server is gone. */
  double rssMiB() {
    if (serverPid <= 0) {
      return -1;
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(serverPid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException gone) {
      // A server that died mid-run still gets its result file, with the memory figure missing.
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
   * The postmaster and its children: the catalog database's backends (their title names the
   * database) and the shared background processes (WAL writer, checkpointer…, whose titles hold no
   * client address). Backends of other databases, and other PostgreSQL servers on the machine
   * (embedded ones in other people's tests), are left out.
   */
  private Map<Long, Double> databaseCpuMillis() {
    Map<Long, Double> byPid = new HashMap<>();
    if (postmasterPid <= 0) {
      return byPid;
    }
    try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path process : processes) {
        try {
          long pid = Long.parseLong(process.getFileName().toString());
          if (pid == postmasterPid || isOurDatabaseProcess(process)) {
            byPid.put(pid, cpuMillis(process));
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

  private boolean isOurDatabaseProcess(Path process) throws IOException {
    if (parentPid(process) != postmasterPid) {
      return false;
    }
    String title = Files.readString(process.resolve("cmdline")).replace('\0', ' ');
    boolean backend = title.contains("(");
    return !backend || title.contains(" " + database + " ");
  }

  private static long parentPid(Path process) throws IOException {
    String stat = Files.readString(process.resolve("stat"));
    return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
  }

  /** Ticks of all CPUs: busy is everything but idle, iowait and steal. */
  private record MachineTicks(long busy, long steal) {}

  /**
   * From the first line of /proc/stat: user nice system idle iowait irq softirq steal (guest time
   * is already in user).
   */
  private static MachineTicks machineTicks() {
    try {
      String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      for (int i : new int[] {1, 2, 3, 6, 7}) {
        busy += Long.parseLong(fields[i]);
      }
      return new MachineTicks(busy, Long.parseLong(fields[8]));
    } catch (IOException e) {
      return new MachineTicks(0, 0);
    }
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
