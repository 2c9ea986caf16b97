package io.bingsan.compat;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * What the build hands the tests as system properties (see the pom), and what the processes they
 * start share: free loopback ports and log files.
 */
final class Harness {
  private static final Path EPHEMERAL_PORTS = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  private static final Set<Integer> handedOut = new HashSet<>();

  private Harness() {}

  static String required(String name) {
    String value = System.getProperty(name, "");
    if (value.isBlank()) {
      throw new IllegalStateException("System property " + name + " is not set (surefire sets it)");
    }
    return value;
  }

  /** Where a started process writes its output: {@code target/compat-logs/<name>.log}. */
  static Path logFile(String name) throws IOException {
    return Files.createDirectories(Path.of(required("compat.logs"))).resolve(name + ".log");
  }

  /**
   * A loopback port nothing listens on now, not handed out before, from the span just below the
   * kernel's ephemeral range. A port from {@code bind(0)} is in that range, where any process's
   * outgoing connection can take it before the server given it binds it; below it, only an
   * explicit bind can.
   */
  static synchronized int freePort() throws IOException {
    // Line by line: procfs reports a size of 0, on which Files.readString stops short.
    int ephemeralStart =
        Integer.parseInt(Files.readAllLines(EPHEMERAL_PORTS).get(0).trim().split("\\s+")[0]);
    int from = Math.max(1024, ephemeralStart - 10_000);
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(from, ephemeralStart);
      if (handedOut.contains(port)) {
        continue;
      }
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        handedOut.add(port);
        return port;
      } catch (IOException inUse) {
        // try another
      }
    }
    throw new IOException("No free loopback port in " + from + "-" + (ephemeralStart - 1));
  }

  /**
   * Waits until {@code url} answers as {@code ready} says, polling; fails with the end of the
   * process's log when the process exits or {@code timeout} passes first.
   */
  static void awaitReady(
      Process process, Path log, URI url, Duration timeout, Predicate<HttpResponse<String>> ready)
      throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build();
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            log.getFileName() + ": exited with " + process.exitValue() + ":\n" + tail(log));
      }
      try {
        if (ready.test(http.send(request, HttpResponse.BodyHandlers.ofString()))) {
          return;
        }
      } catch (IOException notListeningYet) {
        // keep polling until the deadline
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(
        log.getFileName() + ": not ready within " + timeout + ":\n" + tail(log));
  }

  /** Deletes a directory with everything in it. */
  static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  /** The last lines of a log, for failure messages. */
  static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
