package io.bingsan.compat;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real app jar, started as operators start it ({@code java -jar bingsan.jar server config.yml})
 * in a JVM of its own on free loopback ports, with its warehouse and embedded PostgreSQL in a
 * temporary directory. Its output goes to {@code target/compat-logs/}.
 */
final class BingsanProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final Path root;
  private final String uri;
  private final String warehouse;

  private BingsanProcess(Process process, Path root, String uri, String warehouse) {
    this.process = process;
    this.root = root;
    this.uri = uri;
    this.warehouse = warehouse;
  }

  /**
   * @param suite names the log file, beside the database
   */
  static BingsanProcess start(String suite, CatalogDatabase database)
      throws IOException, InterruptedException {
    Path jar = Path.of(Harness.required("bingsan.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: build it (./mvnw -B -DskipTests install) or pass -Dbingsan.jar=");
    }
    Path root = Files.createTempDirectory("bingsan-compat-");
    // A private copy: rebuilding the jar while the suite runs must not swap classes under the app.
    Path appJar = Files.copy(jar, root.resolve("bingsan.jar"));
    Path config = root.resolve("config.yml");
    String yaml = resource("bingsan-compat.yml");
    Files.writeString(config, database.isServer() ? yaml + resource("bingsan-database.yml") : yaml);

    // Unique per run, so that earlier runs' namespaces on a shared PostgreSQL server never clash.
    String warehouse = "compat_" + Long.toString(System.currentTimeMillis(), 36);
    int port = Harness.freePort();
    Path log = Harness.logFile("bingsan-" + suite + "-" + database.label().replace(' ', '-'));
    ProcessBuilder builder =
        new ProcessBuilder(
                Harness.required("bingsan.java"),
                "-jar",
                appJar.toString(),
                "server",
                config.toString())
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> environment = builder.environment();
    environment.put("BINGSAN_PORT", Integer.toString(port));
    environment.put("BINGSAN_ADMIN_PORT", Integer.toString(Harness.freePort()));
    environment.put("BINGSAN_DATA_DIR", root.resolve("postgres").toString());
    environment.put("BINGSAN_WAREHOUSE_NAME", warehouse);
    environment.put("BINGSAN_WAREHOUSE_LOCATION", root.resolve("warehouse").toString());
    environment.putAll(database.environment());

    BingsanProcess app =
        new BingsanProcess(builder.start(), root, "http://127.0.0.1:" + port + "/", warehouse);
    try {
      // Ready once GET /v1/config answers for the warehouse: migrated and serving.
      Harness.awaitReady(
          app.process,
          log,
          URI.create(app.uri + "v1/config?warehouse=" + warehouse),
          START_TIMEOUT,
          response -> response.statusCode() == 200);
    } catch (IOException | InterruptedException | RuntimeException e) {
      app.close();
      throw e;
    }
    return app;
  }

  /** The catalog URI clients are given. */
  String uri() {
    return uri;
  }

  String warehouse() {
    return warehouse;
  }

  /** The warehouse root on local disk, where table data and metadata files go. */
  Path warehouseDirectory() {
    return root.resolve("warehouse");
  }

  @Override
  public void close() throws IOException, InterruptedException {
    process.destroy();
    if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    Harness.deleteTree(root);
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = BingsanProcess.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("Missing test resource " + name);
      }
      return new String(in.readAllBytes(), UTF_8);
    }
  }
}
