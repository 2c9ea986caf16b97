package io.bingsan.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class PostgresMigrationsTest {

  @Test
  void migratingAgainChangesNothing() {
    PostgresMigrations.migrate(TestDatabase.dataSource());

    List<String> applied =
        TestDatabase.jdbi()
            .withHandle(
                handle ->
                    handle
                        .createQuery(
                            "SELECT id FROM databasechangelog"
                                + " WHERE filename = :file AND author = 'bingsan'"
                                + " ORDER BY orderexecuted")
                        .bind("file", PostgresMigrations.CHANGELOG)
                        .mapTo(String.class)
                        .list());

    assertThat(applied)
        .containsExactly(
            "1-namespaces",
            "2-tables",
            "3-views",
            "4-catalog-events",
            "5-idempotency-records",
            "6-metrics-reports",
            "7-metadata-json-lz4",
            "8-metadata-in-files-only",
            "9-catalog-nodes");
  }

  @Test
  void metadataStaysInItsFilesOnly() {
    List<String> jsonColumns =
        TestDatabase.jdbi()
            .withHandle(
                handle ->
                    handle
                        .createQuery(
                            "SELECT table_name FROM information_schema.columns"
                                + " WHERE table_schema = current_schema()"
                                + " AND column_name = 'metadata_json'")
                        .mapTo(String.class)
                        .list());

    assertThat(jsonColumns).isEmpty();
  }

  @Test
  void aMigratedDatabaseIsUpToDate() throws SQLException {
    try (Connection connection = TestDatabase.dataSource().getConnection()) {
      assertThat(PostgresMigrations.isUpToDate(connection)).isTrue();
    }
  }

  @Test
  void anUnrecordedChangesetOrAMissingChangelogTableIsPending() throws SQLException {
    try (Connection connection = TestDatabase.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      connection.setAutoCommit(false);
      try {
        // A schema of its own, seen first: the checks read its changelog table, not the real one.
        statement.execute("CREATE SCHEMA migrations_probe");
        statement.execute("SET LOCAL search_path TO migrations_probe");
        assertThat(PostgresMigrations.isUpToDate(connection)).isFalse();

        statement.execute(
            "CREATE TABLE databasechangelog AS SELECT * FROM public.databasechangelog"
                + " WHERE id <> '7-metadata-json-lz4'");
        assertThat(PostgresMigrations.isUpToDate(connection)).isFalse();

        statement.execute(
            "INSERT INTO databasechangelog SELECT * FROM public.databasechangelog"
                + " WHERE id = '7-metadata-json-lz4'");
        assertThat(PostgresMigrations.isUpToDate(connection)).isTrue();
      } finally {
        connection.rollback();
      }
    }
  }

  @Test
  void migratingAFreshSchemaLeavesThePooledConnectionInAutoCommit() throws SQLException {
    try (Connection connection = TestDatabase.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA migrations_fresh");
      statement.execute("SET search_path TO migrations_fresh");
      try {
        PostgresMigrations.migrate(onlyConnection(connection));

        assertThat(PostgresMigrations.isUpToDate(connection)).isTrue();
        assertThat(connection.getAutoCommit()).isTrue();
      } finally {
        statement.execute("RESET search_path");
        statement.execute("DROP SCHEMA migrations_fresh CASCADE");
      }
    }
  }

  /** A pool of one connection, which a borrower's close only returns. */
  private static DataSource onlyConnection(Connection connection) {
    Connection borrowed =
        proxy(
            Connection.class,
            (method, arguments) ->
                method.getName().equals("close") ? null : method.invoke(connection, arguments));
    return proxy(
        DataSource.class,
        (method, arguments) -> {
          if (method.getName().equals("getConnection")) {
            return borrowed;
          }
          throw new UnsupportedOperationException(method.getName());
        });
  }

  private interface Invocation {
    Object invoke(Method method, Object[] arguments) throws Exception;
  }

  private static <T> T proxy(Class<T> type, Invocation invocation) {
    return type.cast(
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, arguments) -> {
              try {
                return invocation.invoke(method, arguments);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            }));
  }
}
