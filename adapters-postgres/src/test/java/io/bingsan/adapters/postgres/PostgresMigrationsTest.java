package io.bingsan.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
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
            "6-metrics-reports");
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
                + " WHERE id <> '6-metrics-reports'");
        assertThat(PostgresMigrations.isUpToDate(connection)).isFalse();

        statement.execute(
            "INSERT INTO databasechangelog SELECT * FROM public.databasechangelog"
                + " WHERE id = '6-metrics-reports'");
        assertThat(PostgresMigrations.isUpToDate(connection)).isTrue();
      } finally {
        connection.rollback();
      }
    }
  }
}
