package io.bingsan.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

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
}
