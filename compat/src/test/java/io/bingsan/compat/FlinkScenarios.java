package io.bingsan.compat;

import static io.bingsan.compat.Rows.row;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Flink 2.1 with Iceberg's Flink runtime against Bingsan: DDL, batch writes, reads and time travel,
 * each scenario in a database (namespace) of its own. Subclasses choose the PostgreSQL behind the
 * app.
 */
@EngineJvm("flink")
abstract class FlinkScenarios extends EngineScenarios<FlinkEngine> {
  FlinkScenarios() {
    super("flink");
  }

  @Override
  FlinkEngine connect(BingsanProcess app) throws Exception {
    return FlinkEngine.connect(app.uri(), app.warehouse());
  }

  @Test
  @DisplayName("flink: CREATE DATABASE and TABLE, INSERT, INSERT OVERWRITE, SELECT")
  void createInsertSelect() throws Exception {
    engine().sql(
        "CREATE DATABASE fleet COMMENT 'vehicles' WITH ('team' = 'logistics')",
        """
        CREATE TABLE fleet.trucks (
          id BIGINT, plate STRING, capacity DECIMAL(6, 1), registered DATE, depot STRING)
        PARTITIONED BY (depot)
        """,
        """
        INSERT INTO fleet.trucks VALUES
          (1, 'OS-1001', 18.5, DATE '2021-04-01', 'oslo'),
          (2, 'BG-2002', 26.0, DATE '2022-09-15', 'bergen'),
          (3, 'OS-1003', 7.5, DATE '2023-01-20', 'oslo')
        """,
        """
        INSERT OVERWRITE fleet.trucks PARTITION (depot = 'bergen')
        SELECT id, plate, capacity + 1, registered FROM fleet.trucks WHERE depot = 'bergen'
        """);

    assertThat(engine().rows("SHOW TABLES FROM fleet")).containsExactly(row("trucks"));
    assertThat(engine().rows("SELECT * FROM fleet.trucks ORDER BY id"))
        .containsExactly(
            row(1L, "OS-1001", new BigDecimal("18.5"), LocalDate.of(2021, 4, 1), "oslo"),
            row(2L, "BG-2002", new BigDecimal("27.0"), LocalDate.of(2022, 9, 15), "bergen"),
            row(3L, "OS-1003", new BigDecimal("7.5"), LocalDate.of(2023, 1, 20), "oslo"));
    assertThat(
            engine().rows(
                """
                SELECT depot, count(*), sum(capacity) FROM fleet.trucks
                WHERE registered < DATE '2023-01-01' GROUP BY depot ORDER BY depot
                """))
        .containsExactly(
            row("bergen", 1L, new BigDecimal("27.0")), row("oslo", 1L, new BigDecimal("18.5")));
  }

  @Test
  @DisplayName("flink: time travel by snapshot id and by timestamp")
  void timeTravel() throws Exception {
    engine().sql(
        "CREATE DATABASE meters",
        "CREATE TABLE meters.readings (meter STRING, kwh DOUBLE)",
        "INSERT INTO meters.readings VALUES ('a', 1.5), ('b', 2.0)");
    Thread.sleep(20); // distinct commit timestamps
    engine().sql("INSERT INTO meters.readings VALUES ('c', 4.25)");
    List<List<Object>> snapshots =
        engine().rows("SELECT snapshot_id, committed_at FROM meters.`readings$snapshots` ORDER BY 2");
    assertThat(snapshots).hasSize(2);

    String query = "SELECT * FROM meters.readings /*+ OPTIONS('%s' = '%s') */ ORDER BY meter";
    List<List<Object>> first = List.of(row("a", 1.5d), row("b", 2.0d));
    assertThat(engine().rows(query.formatted("snapshot-id", snapshots.get(0).get(0))))
        .isEqualTo(first);
    long firstCommit = ((Instant) snapshots.get(0).get(1)).toEpochMilli();
    assertThat(engine().rows(query.formatted("as-of-timestamp", firstCommit))).isEqualTo(first);
    assertThat(engine().rows("SELECT * FROM meters.readings ORDER BY meter"))
        .containsExactly(row("a", 1.5d), row("b", 2.0d), row("c", 4.25d));
  }
}
