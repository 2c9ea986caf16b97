package io.bingsan.compat;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A Trino server from Maven Central's {@code trino-server-core} tarball and {@code trino-iceberg}
 * plugin (unpacked by the build), run on a JDK 24+ in a process of its own on a free loopback port.
 * One serves the whole test JVM: each suite adds its Bingsan as a catalog at run time ({@code
 * catalog.management=dynamic}), which saves a server start per suite.
 */
final class TrinoServer {
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
  private static final String ACTIVE_NODES =
      "SELECT count(*) FROM system.runtime.nodes WHERE state = 'active'";

  private static TrinoServer shared;

  private final Process process;
  private final Path root;
  private final int port;

  private TrinoServer(Process process, Path root, int port) {
    this.process = process;
    this.root = root;
    this.port = port;
  }

  /** The server of this JVM, started on first use and stopped when the JVM exits. */
  static synchronized TrinoServer shared() throws IOException, InterruptedException {
    if (shared == null) {
      TrinoServer server = start();
      Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "trino-stop"));
      shared = server;
    }
    return shared;
  }

  /** The JDBC URL of the server, as the {@code compat} user. */
  String jdbcUrl() {
    return "jdbc:trino://127.0.0.1:" + port + "?user=compat";
  }

  private static TrinoServer start() throws IOException, InterruptedException {
    Path home = Path.of(Harness.required("trino.home"));
    Path root = Files.createTempDirectory("trino-compat-");
    int port = Harness.freePort();
    Path config = root.resolve("config.properties");
    Files.writeString(
        config,
        String.join(
            "\n",
            "coordinator=true",
            "node-scheduler.include-coordinator=true",
            "node.environment=compat",
            "node.id=compat",
            "node.bind-ip=127.0.0.1",
            "node.internal-address=127.0.0.1",
            "http-server.http.port=" + port,
            "discovery.uri=http://127.0.0.1:" + port,
            "catalog.management=dynamic",
            "catalog.store=memory",
            "plugin.dir=" + Harness.required("trino.plugins"),
            ""),
        UTF_8);
    Path log = Harness.logFile("trino");
    ProcessBuilder builder =
        new ProcessBuilder(
                Harness.required("trino.java"),
                "-Xmx1g",
                "-XX:+UseG1GC",
                "-XX:+ExitOnOutOfMemoryError",
                "-Djdk.attach.allowAttachSelf=true",
                "--enable-native-access=ALL-UNNAMED",
                "-Dconfig=" + config,
                "-cp",
                home.resolve("lib") + "/*",
                "io.trino.server.TrinoServer")
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    TrinoServer server = new TrinoServer(builder.start(), root, port);
    try {
      Harness.awaitReady(
          server.process,
          log,
          URI.create("http://127.0.0.1:" + port + "/v1/info"),
          START_TIMEOUT,
          response ->
              response.statusCode() == 200 && response.body().contains("\"starting\":false"));
      server.awaitQueries(deadline, log);
    } catch (IOException | InterruptedException | RuntimeException e) {
      server.stop();
      throw e;
    }
    return server;
  }

  /**
   * Waits until a query runs and finds the server's one node active. Having reported itself
   * started, the server can still fail queries (SERVER_STARTING_UP, or NO_NODES_AVAILABLE until
   * its node has announced itself), on a busy machine long enough to fail a suite's first one.
   */
  private void awaitQueries(Instant deadline, Path log) throws IOException, InterruptedException {
    SQLException last = null;
    do {
      if (!process.isAlive()) {
        throw new IllegalStateException("Trino exited:\n" + Harness.tail(log));
      }
      try (Connection connection = DriverManager.getConnection(jdbcUrl());
          Statement statement = connection.createStatement();
          ResultSet active = statement.executeQuery(ACTIVE_NODES)) {
        // Read to the end: a result closed early is logged as a cancelled query.
        if (active.next() && active.getLong(1) > 0 && !active.next()) {
          return;
        }
      } catch (SQLException e) {
        last = e;
      }
      Thread.sleep(250);
    } while (Instant.now().isBefore(deadline));
    throw new IllegalStateException(
        "Trino had no active node within " + START_TIMEOUT + ":\n" + Harness.tail(log), last);
  }

  private void stop() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
      Harness.deleteTree(root);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
