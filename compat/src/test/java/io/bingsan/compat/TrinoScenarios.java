package io.bingsan.compat;

import static io.bingsan.compat.Rows.row;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Trino's Iceberg connector against Bingsan: DDL, writes, reads and time travel, each scenario in a
 * schema (namespace) of its own. Subclasses choose the PostgreSQL behind the app.
 */
@EngineJvm("spark")
abstract class TrinoScenarios extends EngineScenarios<TrinoEngine> {
  TrinoScenarios() {
    super("trino");
  }

  @Override
  TrinoEngine connect(BingsanProcess app) throws Exception {
    return TrinoEngine.connect(app.uri(), app.warehouse());
  }

  @Test
  @DisplayName("trino: CREATE SCHEMA and partitioned TABLE, INSERT, SELECT")
  void createInsertSelect() throws SQLException {
    engine().sql(
        "CREATE SCHEMA inventory",
        """
        CREATE TABLE inventory.parts (id BIGINT, name VARCHAR, price DECIMAL(8, 2), added DATE)
        WITH (partitioning = ARRAY['month(added)', 'bucket(id, 4)'])
        """,
        """
        INSERT INTO inventory.parts VALUES
          (1, 'bolt', 0.25, DATE '2024-01-05'),
          (2, 'nut', 0.10, DATE '2024-01-20'),
          (3, 'gear', 12.50, DATE '2024-02-02')
        """,
        """
        INSERT INTO inventory.parts
        SELECT id + 10, upper(name), price * 2, added + INTERVAL '1' YEAR
        FROM inventory.parts WHERE id <> 2
        """);

    assertThat(engine().rows("SHOW TABLES FROM inventory")).containsExactly(row("parts"));
    assertThat(engine().rows("SELECT * FROM inventory.parts ORDER BY id"))
        .containsExactly(
            row(1L, "bolt", new BigDecimal("0.25"), LocalDate.of(2024, 1, 5)),
            row(2L, "nut", new BigDecimal("0.10"), LocalDate.of(2024, 1, 20)),
            row(3L, "gear", new BigDecimal("12.50"), LocalDate.of(2024, 2, 2)),
            row(11L, "BOLT", new BigDecimal("0.50"), LocalDate.of(2025, 1, 5)),
            row(13L, "GEAR", new BigDecimal("25.00"), LocalDate.of(2025, 2, 2)));
    assertThat(
            engine().rows(
                """
                SELECT date_trunc('month', added), count(*), sum(price) FROM inventory.parts
                WHERE added < DATE '2025-01-01' GROUP BY 1 ORDER BY 1
                """))
        .containsExactly(
            row(LocalDate.of(2024, 1, 1), 2L, new BigDecimal("0.35")),
            row(LocalDate.of(2024, 2, 1), 1L, new BigDecimal("12.50")));
  }

  @Test
  @DisplayName("trino: UPDATE, DELETE and MERGE")
  void rowLevelChanges() throws SQLException {
    engine().sql(
        "CREATE SCHEMA crm",
        "CREATE TABLE crm.contacts (id BIGINT, name VARCHAR, tier VARCHAR)",
        "INSERT INTO crm.contacts VALUES (1, 'Ada', 'gold'), (2, 'Bo', 'iron'), (3, 'Ken', 'tin')",
        "UPDATE crm.contacts SET tier = 'gold' WHERE id = 2",
        "DELETE FROM crm.contacts WHERE tier = 'tin'",
        """
        MERGE INTO crm.contacts c
        USING (VALUES (1, 'Ada L.', 'platinum'), (4, 'Edsger', 'silver')) AS s (id, name, tier)
        ON c.id = s.id
        WHEN MATCHED THEN UPDATE SET name = s.name, tier = s.tier
        WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.name, s.tier)
        """);

    assertThat(engine().rows("SELECT * FROM crm.contacts ORDER BY id"))
        .containsExactly(
            row(1L, "Ada L.", "platinum"), row(2L, "Bo", "gold"), row(4L, "Edsger", "silver"));
  }

  @Test
  @DisplayName("trino: time travel FOR VERSION AS OF and FOR TIMESTAMP AS OF")
  void timeTravel() throws Exception {
    engine().sql(
        "CREATE SCHEMA ledger",
        "CREATE TABLE ledger.entries (id BIGINT, amount DECIMAL(10, 2))",
        "INSERT INTO ledger.entries VALUES (1, 10.00), (2, 20.00)");
    List<Object> first = latestSnapshot();
    Thread.sleep(20); // distinct commit timestamps
    engine().sql("INSERT INTO ledger.entries VALUES (3, 30.00)");
    List<Object> second = latestSnapshot();
    engine().sql("DELETE FROM ledger.entries WHERE id = 1");

    String query = "SELECT * FROM ledger.entries FOR %s ORDER BY id";
    assertThat(engine().rows(query.formatted("VERSION AS OF " + first.get(0))))
        .containsExactly(row(1L, new BigDecimal("10.00")), row(2L, new BigDecimal("20.00")));
    assertThat(engine().rows(query.formatted("TIMESTAMP AS OF TIMESTAMP '" + second.get(1) + "'")))
        .containsExactly(
            row(1L, new BigDecimal("10.00")),
            row(2L, new BigDecimal("20.00")),
            row(3L, new BigDecimal("30.00")));
    assertThat(engine().rows("SELECT * FROM ledger.entries ORDER BY id"))
        .containsExactly(row(2L, new BigDecimal("20.00")), row(3L, new BigDecimal("30.00")));
  }

  /** The id and commit time of the newest snapshot of {@code ledger.entries}. */
  private List<Object> latestSnapshot() throws SQLException {
    return engine()
        .rows(
            """
            SELECT snapshot_id, CAST(committed_at AS VARCHAR) FROM ledger."entries$snapshots"
            ORDER BY committed_at DESC LIMIT 1
            """)
        .get(0);
  }
}
