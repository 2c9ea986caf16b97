package io.bingsan.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.bingsan.adapters.postgres.EmbeddedPostgresServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node told to stop (SIGTERM, as Kubernetes sends it) on the shipped configuration and its
 * embedded PostgreSQL: while the load balancer takes it out, it still answers from its database.
 */
class GracefulStopTest {
  private static final Duration PATIENCE = Duration.ofSeconds(120);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void answersFromTheEmbeddedDatabaseUntilItHasStoppedServing(@TempDir Path dir)
      throws Exception {
    Path dataDirectory = dir.resolve("postgres");
    Path log = dir.resolve("server.log");
    int port = freePort();
    ProcessBuilder command =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElseThrow(),
                "-cp",
                System.getProperty("java.class.path"),
                BingsanApplication.class.getName(),
                "server",
                Path.of("../config.yml").toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    command.environment().put("BINGSAN_PORT", Integer.toString(port));
    command.environment().put("BINGSAN_ADMIN_PORT", Integer.toString(freePort()));
    command.environment().put("BINGSAN_DATA_DIR", dataDirectory.toString());
    command.environment().put("BINGSAN_WAREHOUSE_LOCATION", dir.resolve("warehouse").toString());
    command.environment().remove("BINGSAN_DB_URL");
    Process server = command.start();
    try {
      URI base = URI.create("http://127.0.0.1:" + port + "/");
      awaitFirstAnswer(server, base.resolve("v1/config"), log);
      HttpResponse<String> created =
          http.send(
              HttpRequest.newBuilder(base.resolve("v1/default/namespaces"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"namespace\":[\"kept\"]}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(200);

      server.toHandle().destroy();
      // The shipped configuration serves for 5 s after the signal, reporting itself not ready.
      List<String> answers = new ArrayList<>();
      boolean reportedNotReady = false;
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      while (System.nanoTime() < until) {
        HttpResponse<String> listed = get(base.resolve("v1/default/namespaces"));
        answers.add(listed.statusCode() + " " + listed.body());
        reportedNotReady |= get(base.resolve("health-check?type=ready")).statusCode() == 503;
        Thread.sleep(100);
      }
      assertThat(answers).allMatch(answer -> answer.startsWith("200 "), "answered 200");
      assertThat(answers).allMatch(answer -> answer.contains("[\"kept\"]"), "listed the namespace");
      assertThat(reportedNotReady).as("readiness reported 503 while draining").isTrue();

      assertThat(server.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    } finally {
      server.destroyForcibly().waitFor();
    }

    // Its PostgreSQL stopped after the server, cleanly: the data directory opens with the namespace.
    try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDirectory, 0);
        Connection connection = postgres.dataSource().getConnection();
        ResultSet names =
            connection.createStatement().executeQuery("select name_key from namespaces")) {
      assertThat(names.next()).isTrue();
      assertThat(names.getString(1)).isEqualTo("kept");
      assertThat(names.next()).isFalse();
    }
  }

  private void awaitFirstAnswer(Process server, URI uri, Path log) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      assertThat(server.isAlive()).as(() -> read(log)).isTrue();
      try {
        if (get(uri).statusCode() == 200) {
          return;
        }
      } catch (IOException notListeningYet) {
        // Start-up has not opened the port yet.
      }
      Thread.sleep(100);
    }
    throw new AssertionError("No answer within " + PATIENCE + ":\n" + read(log));
  }

  private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
