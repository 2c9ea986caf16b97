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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code server config.yml} as operators run it: its own JVM, the shipped configuration, set up
 * through the environment variables it names.
 */
class ServerProcessTest {
  private static final Duration PATIENCE = Duration.ofSeconds(120);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir private Path dir;
  private URI base;
  private Process server;

  @Test
  void answersFromTheEmbeddedDatabaseUntilItHasStoppedServing() throws Exception {
    try {
      start(Map.of());
      createNamespace("kept");

      // SIGTERM, as Kubernetes sends it. The shipped configuration keeps serving for 5 s while
      // it reports itself not ready, so that load balancers take the node out.
      server.toHandle().destroy();
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
      stop();
    }

    // Its PostgreSQL stopped after the server, cleanly: the data directory opens with the namespace.
    try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDirectory(), 0)) {
      assertThat(namespaceKeys(postgres)).containsExactly("kept");
    }
  }

  @Test
  void usesThePostgresServerThatTheEnvironmentNames() throws Exception {
    try (EmbeddedPostgresServer shared = EmbeddedPostgresServer.start(dir.resolve("shared"), 0)) {
      try {
        start(
            Map.of(
                "BINGSAN_DB_URL", shared.jdbcUrl(),
                "BINGSAN_DB_USER", shared.user(),
                "BINGSAN_DB_PASSWORD", shared.password()));
        createNamespace("on_the_server");
      } finally {
        stop();
      }
      assertThat(namespaceKeys(shared)).containsExactly("on_the_server");
    }
    assertThat(dataDirectory()).as("no embedded PostgreSQL was started").doesNotExist();
  }

  /** Starts the server with the embedded database's directory under {@link #dir}. */
  private void start(Map<String, String> environment) throws Exception {
    Path log = dir.resolve("server.log");
    int port = freePort();
    ProcessBuilder command =
        ApplicationProcess.command(List.of(), "server", Path.of("../config.yml").toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> variables = command.environment();
    variables.keySet().removeIf(name -> name.startsWith("BINGSAN_"));
    variables.put("BINGSAN_PORT", Integer.toString(port));
    variables.put("BINGSAN_ADMIN_PORT", Integer.toString(freePort()));
    variables.put("BINGSAN_DATA_DIR", dataDirectory().toString());
    variables.put("BINGSAN_WAREHOUSE_LOCATION", dir.resolve("warehouse").toString());
    variables.putAll(environment);
    server = command.start();
    base = URI.create("http://127.0.0.1:" + port + "/");

    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      assertThat(server.isAlive()).as(() -> read(log)).isTrue();
      try {
        if (get(base.resolve("v1/config")).statusCode() == 200) {
          return;
        }
      } catch (IOException notListeningYet) {
        // Start-up has not opened the port yet.
      }
      Thread.sleep(100);
    }
    throw new AssertionError("No answer within " + PATIENCE + ":\n" + read(log));
  }

  /** Stops the server as operators do, or forcibly once that has taken too long. */
  private void stop() throws InterruptedException {
    if (server != null) {
      server.destroy();
      server.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      server.destroyForcibly().waitFor();
    }
  }

  private Path dataDirectory() {
    return dir.resolve("postgres");
  }

  private void createNamespace(String name) throws Exception {
    HttpResponse<String> created =
        http.send(
            HttpRequest.newBuilder(base.resolve("v1/default/namespaces"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"namespace\":[\"" + name + "\"]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
  }

  private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> namespaceKeys(EmbeddedPostgresServer postgres) throws Exception {
    List<String> keys = new ArrayList<>();
    try (Connection connection = postgres.dataSource().getConnection();
        ResultSet rows =
            connection.createStatement().executeQuery("select name_key from namespaces")) {
      while (rows.next()) {
        keys.add(rows.getString(1));
      }
    }
    return keys;
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
