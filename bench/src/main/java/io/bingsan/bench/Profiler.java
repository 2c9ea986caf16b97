package io.bingsan.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Flight recordings of the server during measured windows only, through {@code jcmd} (the server
 * must be a JVM of the same user). Disabled unless a directory is given.
 */
final class Profiler {
  private final long serverPid;
  private final Path directory;
  private final Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");

  /**
   * @param directory where {@code <workload>.jfr} files go; null disables profiling
   */
  Profiler(long serverPid, Path directory) {
    this.serverPid = serverPid;
    this.directory = directory;
  }

  void start(String workload) {
    if (directory != null) {
      // A 1 ms sampling period: a few seconds' window then holds enough samples to rank methods.
      jcmd("JFR.start", "name=" + fileName(workload), "settings=profile", "method-profiling=max");
    }
  }

  void stop(String workload) {
    if (directory != null) {
      String name = fileName(workload);
      jcmd(
          "JFR.stop",
          "name=" + name,
          "filename=" + directory.resolve(name + ".jfr").toAbsolutePath());
    }
  }

  private static String fileName(String workload) {
    return workload.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("-$", "");
  }

  private void jcmd(String... command) {
    try {
      Files.createDirectories(directory);
      List<String> args = new ArrayList<>(List.of(jcmd.toString(), Long.toString(serverPid)));
      args.addAll(List.of(command));
      Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        System.err.println("jcmd " + String.join(" ", command) + " failed: " + output);
      }
    } catch (IOException e) {
      System.err.println("jcmd failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
