package io.bingsan.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bingsan.adapters.postgres.EmbeddedPostgresServer;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up migration runs while the server starts, and the server opens only after it. */
class StartupMigrationTest {
  @TempDir static Path dir;

  private static EmbeddedPostgresServer postgres;

  @BeforeAll
  static void startPostgres() throws SQLException {
    postgres = EmbeddedPostgresServer.start(dir.resolve("postgres"), 0);
    try (Connection admin = connect("postgres", postgres.user());
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE fresh");
      statement.execute("CREATE DATABASE locked");
      statement.execute("CREATE ROLE visitor LOGIN");
    }
    try (Connection locked = connect("locked", postgres.user());
        Statement statement = locked.createStatement()) {
      statement.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
    }
  }

  @AfterAll
  static void stopPostgres() {
    postgres.close();
  }

  @Test
  void theServerOpensOnlyOnceTheSchemaIsMigrated() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    DropwizardTestSupport<BingsanConfiguration> app = app("fresh", postgres.user(), port);
    try (Connection blocker = connect("fresh", postgres.user())) {
      // Liquibase creates its lock table first; an uncommitted one of that name holds it there.
      blocker.setAutoCommit(false);
      blocker.createStatement().execute("CREATE TABLE databasechangeloglock (id integer)");
      CompletableFuture<Void> started = CompletableFuture.runAsync(() -> start(app));
      try {
        awaitBlockedMigration(blocker);
        // Time enough for the rest of the start, which must not open the server meanwhile.
        TimeUnit.SECONDS.sleep(2);
        assertThat(started).isNotDone();

        blocker.rollback();
        started.get(2, TimeUnit.MINUTES);
        HttpResponse<String> namespaces =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/v1/test/namespaces"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(namespaces.statusCode()).as(namespaces.body()).isEqualTo(200);
      } finally {
        blocker.rollback();
        started.handle((ignored, failure) -> null).get(2, TimeUnit.MINUTES);
        app.after();
      }
    }
  }

  @Test
  void aFailedMigrationFailsTheStart() {
    DropwizardTestSupport<BingsanConfiguration> app = app("locked", "visitor", 0);
    try {
      assertThatThrownBy(app::before)
          .hasStackTraceContaining("Could not migrate the catalog database")
          .hasStackTraceContaining("permission denied for schema public");
    } finally {
      app.after();
    }
  }

  private static void awaitBlockedMigration(Connection observer) throws Exception {
    try (Connection monitor = connect("postgres", postgres.user());
        Statement statement = monitor.createStatement()) {
      for (int poll = 0; poll < 1200; poll++) {
        try (ResultSet waiting =
            statement.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = 'fresh'"
                    + " AND wait_event_type = 'Lock'")) {
          waiting.next();
          if (waiting.getInt(1) > 0) {
            return;
          }
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }
    throw new AssertionError("The migration never reached the lock table " + observer);
  }

  private static void start(DropwizardTestSupport<BingsanConfiguration> app) {
    try {
      app.before();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static DropwizardTestSupport<BingsanConfiguration> app(
      String database, String user, int port) {
    return new DropwizardTestSupport<>(
        BingsanApplication.class,
        ResourceHelpers.resourceFilePath("test-config.yml"),
        ConfigOverride.config("server.applicationConnectors[0].port", String.valueOf(port)),
        ConfigOverride.config("warehouses[0].location", dir.resolve("warehouse").toString()),
        ConfigOverride.config("database.driverClass", "org.postgresql.Driver"),
        ConfigOverride.config("database.url", url(database)),
        ConfigOverride.config("database.user", user),
        ConfigOverride.config("database.password", ""));
  }

  private static Connection connect(String database, String user) throws SQLException {
    return DriverManager.getConnection(url(database), user, "");
  }

  private static String url(String database) {
    return postgres.jdbcUrl().replaceFirst("/postgres$", "/" + database);
  }
}
