package io.bingsan.adapters.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The database the tests run on: the server named by {@code bingsan.test.jdbc-url} (with {@code
 * bingsan.test.jdbc-user} and {@code bingsan.test.jdbc-password}) when set, else an embedded
 * PostgreSQL started once per JVM in a temporary directory. Either is migrated once; a server's
 * database may be shared, so tests isolate themselves by warehouse name and key.
 */
final class TestDatabase {
  private static final DataSource DATA_SOURCE = open();
  private static final Jdbi JDBI = Jdbi.create(DATA_SOURCE);
  private static final NodeLeases LEASES = startLeases();

  private TestDatabase() {}

  static DataSource dataSource() {
    return DATA_SOURCE;
  }

  static Jdbi jdbi() {
    return JDBI;
  }

  /** This test JVM's node: one lease for every store the tests open. */
  static NodeLeases leases() {
    return LEASES;
  }

  static PostgresCatalogStore catalogStore() {
    return new PostgresCatalogStore(JDBI, DATA_SOURCE, LEASES);
  }

  private static NodeLeases startLeases() {
    NodeLeases leases =
        new NodeLeases(DATA_SOURCE::getConnection, DATA_SOURCE, Duration.ofSeconds(2));
    leases.start();
    return leases;
  }

  private static DataSource open() {
    String url = System.getProperty("bingsan.test.jdbc-url");
    DataSource dataSource = url == null || url.isBlank() ? embedded() : server(url);
    PostgresMigrations.migrate(dataSource);
    return dataSource;
  }

  private static DataSource server(String url) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setURL(url);
    dataSource.setUser(System.getProperty("bingsan.test.jdbc-user"));
    dataSource.setPassword(System.getProperty("bingsan.test.jdbc-password"));
    return dataSource;
  }

  private static DataSource embedded() {
    Path directory = createTempDirectory();
    EmbeddedPostgresServer server = EmbeddedPostgresServer.start(directory.resolve("data"), 0);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  deleteRecursively(directory);
                },
                "test-postgres-shutdown"));
    return server.dataSource();
  }

  static Path createTempDirectory() {
    try {
      return Files.createTempDirectory("bingsan-postgres-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteRecursively(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
