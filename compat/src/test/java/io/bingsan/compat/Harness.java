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
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * What the build hands the tests as system properties (see the pom), and what the processes they
 * start share: free loopback ports and log files.
 */
final class Harness {
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

  /** A loopback port nothing listens on now. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
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
