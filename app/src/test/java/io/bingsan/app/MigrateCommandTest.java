package io.bingsan.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.bingsan.adapters.postgres.EmbeddedPostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code db migrate config.yml} as operators run it: its own JVM, on the embedded default. */
class MigrateCommandTest {

  @Test
  void dbMigrateCreatesTheSchemaAndStopsTheEmbeddedDatabase(@TempDir Path dir) throws Exception {
    Path dataDirectory = dir.resolve("postgres");
    Path config = dir.resolve("config.yml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "embeddedPostgres:",
            "  dataDirectory: " + dataDirectory,
            "warehouses:",
            "  - name: default",
            "    location: " + dir.resolve("warehouse"),
            "logging:",
            "  level: WARN",
            ""));

    Process migrate =
        ApplicationProcess.command(List.of(), "db", "migrate", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("migrate.log").toFile())
            .start();
    assertThat(migrate.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(migrate.exitValue()).as(Files.readString(dir.resolve("migrate.log"))).isZero();

    // The command's JVM stopped its PostgreSQL on exit, so the data directory can be opened again.
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDirectory, 0);
        Connection connection = server.dataSource().getConnection();
        ResultSet tables =
            connection
                .createStatement()
                .executeQuery(
                    "select table_name from information_schema.tables where table_schema = 'public'"
                        + " order by table_name")) {
      List<String> names = new ArrayList<>();
      while (tables.next()) {
        names.add(tables.getString(1));
      }
      assertThat(names)
          .contains("namespaces", "tables", "views", "catalog_events", "idempotency_records",
              "metrics_reports", "databasechangelog");
    }
  }
}
