package io.bingsan.compat;

import static io.bingsan.compat.Rows.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.NamespaceNotEmptyException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.transforms.Transforms;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What users do with Spark 3.5 and Iceberg against Bingsan, each scenario in a namespace of its
 * own, asserting the values Spark reads back. Subclasses choose the PostgreSQL behind the app; one
 * app process and one SparkSession serve all scenarios of a subclass.
 */
@EngineJvm("spark")
abstract class SparkScenarios extends EngineScenarios<SparkEngine> {
  private static final DateTimeFormatter SQL_TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  SparkScenarios() {
    super("spark");
  }

  @Override
  SparkEngine connect(BingsanProcess app) {
    return SparkEngine.connect(
        app.uri(), app.warehouse(), app.warehouseDirectory().resolveSibling("spark-warehouse"));
  }

  @Test
  @DisplayName("spark: namespaces, nested, with properties")
  void namespaces() {
    engine().sql(
        "CREATE NAMESPACE sales COMMENT 'all sales' WITH PROPERTIES ('team' = 'finance')",
        "CREATE NAMESPACE sales.eu",
        "CREATE NAMESPACE sales.us",
        "CREATE NAMESPACE sales.us.west",
        "ALTER NAMESPACE sales.us SET PROPERTIES ('region' = 'us-east-1')",
        "CREATE TABLE sales.eu.orders (id BIGINT) USING iceberg");

    assertThat(engine().rows("SHOW NAMESPACES IN sales"))
        .containsExactlyInAnyOrder(row("sales.eu"), row("sales.us"));
    assertThat(engine().rows("SHOW NAMESPACES IN sales.us")).containsExactly(row("sales.us.west"));
    assertThat(engine().rows("DESCRIBE NAMESPACE EXTENDED sales"))
        .contains(
            row("Namespace Name", "sales"),
            row("Comment", "all sales"),
            // Where its tables go by default, reported although never set.
            row("Location", "file:" + app().warehouseDirectory() + "/sales"),
            row("Properties", "((team,finance))"));
    assertThat(engine().rows("DESCRIBE NAMESPACE EXTENDED sales.us").toString())
        .contains("(region,us-east-1)");
    assertThat(engine().rows("SHOW TABLES IN sales.eu"))
        .containsExactly(row("sales.eu", "orders", false));

    assertThatThrownBy(() -> engine().sql("DROP NAMESPACE sales.eu"))
        .isInstanceOf(NamespaceNotEmptyException.class);
    engine().sql("DROP TABLE sales.eu.orders", "DROP NAMESPACE sales.eu");
    assertThat(engine().rows("SHOW NAMESPACES IN sales")).containsExactly(row("sales.us"));
    assertThatThrownBy(() -> engine().sql("DESCRIBE NAMESPACE sales.eu"))
        .hasMessageContaining("SCHEMA_NOT_FOUND");
  }

  @Test
  @DisplayName("spark: a table named like a metadata table (history)")
  void tableNamedLikeAMetadataTable() {
    engine().sql(
        "CREATE NAMESPACE logins",
        "CREATE TABLE logins.history (id INT, event STRING) USING iceberg",
        "INSERT INTO logins.history VALUES (1, 'login'), (2, 'logout')");

    assertThat(engine().rows("SELECT * FROM logins.history ORDER BY id"))
        .containsExactly(row(1, "login"), row(2, "logout"));
    // Its own history metadata table is still one level further.
    assertThat(engine().value("SELECT count(*) FROM logins.history.history")).isEqualTo(1L);
  }

  @Test
  @DisplayName("spark: hidden partitioning by days(ts) and bucket(id)")
  void hiddenPartitioning() {
    engine().sql(
        "CREATE NAMESPACE web",
        """
        CREATE TABLE web.events (id BIGINT, ts TIMESTAMP, kind STRING, amount DECIMAL(10, 2))
        USING iceberg PARTITIONED BY (days(ts), bucket(4, id))\
        """,
        """
        INSERT INTO web.events VALUES
          (1, TIMESTAMP '2024-03-01 09:15:00', 'view', 0.00),
          (2, TIMESTAMP '2024-03-01 23:59:59', 'buy', 19.99),
          (3, TIMESTAMP '2024-03-02 00:00:01', 'buy', 5.50),
          (4, TIMESTAMP '2024-03-03 12:00:00', 'refund', -5.50)\
        """);

    assertThat(
            engine().rows(
                "SELECT id, kind, amount FROM web.events WHERE ts >= '2024-03-02' ORDER BY id"))
        .containsExactly(
            row(3L, "buy", new BigDecimal("5.50")), row(4L, "refund", new BigDecimal("-5.50")));
    // Each row lands in the partition the table's transforms give it; no query names them.
    assertThat(
            engine().rows(
                "SELECT id, _partition.ts_day, _partition.id_bucket FROM web.events ORDER BY id"))
        .containsExactly(
            row(1L, LocalDate.of(2024, 3, 1), bucket(4, 1L)),
            row(2L, LocalDate.of(2024, 3, 1), bucket(4, 2L)),
            row(3L, LocalDate.of(2024, 3, 2), bucket(4, 3L)),
            row(4L, LocalDate.of(2024, 3, 3), bucket(4, 4L)));
    assertThat(engine().rows("DESCRIBE TABLE web.events"))
        .contains(row("Part 0", "days(ts)", ""), row("Part 1", "bucket(4, id)", ""));
  }

  @Test
  @DisplayName("spark: INSERT and SELECT with joins, nested types and overwrite")
  void insertAndSelect() {
    engine().sql(
        "CREATE NAMESPACE shop",
        "CREATE TABLE shop.customers (id INT, name STRING, country STRING) USING iceberg",
        """
        CREATE TABLE shop.orders (
          order_id BIGINT, customer_id INT, placed DATE, total DECIMAL(12, 2),
          items ARRAY<STRING>, shipping STRUCT<city: STRING, express: BOOLEAN>)
        USING iceberg PARTITIONED BY (placed)\
        """,
        "INSERT INTO shop.customers VALUES (1, 'Ada', 'UK'), (2, 'Grace', 'US'), (3, 'Ken', 'FI')",
        """
        INSERT INTO shop.orders VALUES
          (100, 1, DATE '2024-05-01', 12.50, array('pen', 'ink'),
           named_struct('city', 'London', 'express', true)),
          (101, 2, DATE '2024-05-01', 99.99, array('laptop stand'),
           named_struct('city', 'Boston', 'express', false)),
          (102, 2, DATE '2024-05-02', 5.00, array(),
           named_struct('city', 'Boston', 'express', false))\
        """,
        """
        INSERT INTO shop.orders
        SELECT order_id + 1000, customer_id, date_add(placed, 30), total * 2, items, shipping
        FROM shop.orders WHERE customer_id = 2\
        """,
        """
        INSERT OVERWRITE shop.customers
        SELECT id, upper(name), country FROM shop.customers WHERE id <> 3
        """);

    assertThat(engine().rows("SELECT * FROM shop.customers ORDER BY id"))
        .containsExactly(row(1, "ADA", "UK"), row(2, "GRACE", "US"));
    assertThat(
            engine().rows(
                """
                SELECT c.name, count(*), sum(o.total), max(o.placed)
                FROM shop.orders o JOIN shop.customers c ON o.customer_id = c.id
                GROUP BY c.name ORDER BY c.name\
                """))
        .containsExactly(
            row("ADA", 1L, new BigDecimal("12.50"), LocalDate.of(2024, 5, 1)),
            row("GRACE", 4L, new BigDecimal("314.97"), LocalDate.of(2024, 6, 1)));
    assertThat(
            engine().rows(
                """
                SELECT items, shipping FROM shop.orders
                WHERE order_id IN (100, 1102) ORDER BY order_id
                """))
        .containsExactly(
            row(List.of("pen", "ink"), List.of("London", true)),
            row(List.of(), List.of("Boston", false)));
  }

  @ParameterizedTest(name = "spark: {0} DELETE")
  @ValueSource(strings = {"copy-on-write", "merge-on-read"})
  void delete(String mode) {
    String table = accounts(mode, "delete");
    engine().sql("DELETE FROM " + table + " WHERE balance < 0 OR status = 'closed'");

    assertThat(engine().rows("SELECT id, owner, balance FROM " + table + " ORDER BY id"))
        .containsExactly(
            row(1, "Ada", new BigDecimal("120.00")),
            row(2, "Grace", new BigDecimal("75.50")),
            row(5, "Ken", new BigDecimal("310.25")));
    assertDeleteFiles(table, mode);
  }

  @ParameterizedTest(name = "spark: {0} UPDATE")
  @ValueSource(strings = {"copy-on-write", "merge-on-read"})
  void update(String mode) {
    String table = accounts(mode, "update");
    engine().sql("UPDATE " + table + " SET status = 'frozen', balance = 0 WHERE balance < 0");

    assertThat(engine().rows("SELECT id, balance, status FROM " + table + " ORDER BY id"))
        .containsExactly(
            row(1, new BigDecimal("120.00"), "open"),
            row(2, new BigDecimal("75.50"), "open"),
            row(3, new BigDecimal("0.00"), "frozen"),
            row(4, new BigDecimal("0.00"), "closed"),
            row(5, new BigDecimal("310.25"), "open"));
    assertDeleteFiles(table, mode);
  }

  @ParameterizedTest(name = "spark: {0} MERGE")
  @ValueSource(strings = {"copy-on-write", "merge-on-read"})
  void merge(String mode) {
    String table = accounts(mode, "merge");
    engine().sql(
        """
        MERGE INTO %s a
        USING (SELECT * FROM VALUES
                 (2, 'Grace', 50.00, 'deposit'), (3, 'Linus', 0.00, 'close'),
                 (6, 'Edsger', 10.00, 'open')
               AS s(id, owner, amount, action)) s
        ON a.id = s.id
        WHEN MATCHED AND s.action = 'close' THEN DELETE
        WHEN MATCHED THEN UPDATE SET a.balance = a.balance + s.amount
        WHEN NOT MATCHED THEN
          INSERT (id, owner, balance, status) VALUES (s.id, s.owner, s.amount, 'open')\
        """
            .formatted(table));

    assertThat(engine().rows("SELECT id, owner, balance, status FROM " + table + " ORDER BY id"))
        .containsExactly(
            row(1, "Ada", new BigDecimal("120.00"), "open"),
            row(2, "Grace", new BigDecimal("125.50"), "open"),
            row(4, "Barbara", new BigDecimal("0.00"), "closed"),
            row(5, "Ken", new BigDecimal("310.25"), "open"),
            row(6, "Edsger", new BigDecimal("10.00"), "open"));
    assertDeleteFiles(table, mode);
  }

  @Test
  @DisplayName("spark: schema evolution (add, rename, widen int to bigint and float to double)")
  void schemaEvolution() {
    engine().sql(
        "CREATE NAMESPACE hr",
        "CREATE TABLE hr.staff (id INT, name STRING, salary FLOAT) USING iceberg",
        "INSERT INTO hr.staff VALUES (1, 'Ada', 5000.5), (2, 'Grace', 6200.0)");
    long before = snapshotIds("hr.staff").get(0);
    engine().sql(
        "ALTER TABLE hr.staff ADD COLUMNS (email STRING COMMENT 'work address' AFTER name)",
        "ALTER TABLE hr.staff RENAME COLUMN name TO full_name",
        "ALTER TABLE hr.staff ALTER COLUMN id TYPE BIGINT",
        "ALTER TABLE hr.staff ALTER COLUMN salary TYPE DOUBLE",
        "INSERT INTO hr.staff VALUES (3000000000, 'Linus', 'linus@example.org', 7100.25)");

    assertThat(engine().rows("DESCRIBE TABLE hr.staff").subList(0, 4))
        .containsExactly(
            row("id", "bigint", null),
            row("full_name", "string", null),
            row("email", "string", "work address"),
            row("salary", "double", null));
    assertThat(engine().rows("SELECT * FROM hr.staff ORDER BY id"))
        .containsExactly(
            row(1L, "Ada", null, 5000.5d),
            row(2L, "Grace", null, 6200.0d),
            row(3_000_000_000L, "Linus", "linus@example.org", 7100.25d));
    // A snapshot is read with the schema it was written with.
    assertThat(engine().rows("SELECT * FROM hr.staff VERSION AS OF " + before + " ORDER BY id"))
        .containsExactly(row(1, "Ada", 5000.5f), row(2, "Grace", 6200.0f));
  }

  @Test
  @DisplayName("spark: partition evolution (days to months, add and drop bucket)")
  void partitionEvolution() {
    engine().sql(
        "CREATE NAMESPACE logs",
        """
        CREATE TABLE logs.requests (id BIGINT, ts TIMESTAMP, path STRING)
        USING iceberg PARTITIONED BY (days(ts))
        """,
        """
        INSERT INTO logs.requests VALUES
          (1, TIMESTAMP '2024-01-01 10:00:00', '/a'), (2, TIMESTAMP '2024-01-02 11:00:00', '/b')
        """,
        "ALTER TABLE logs.requests REPLACE PARTITION FIELD days(ts) WITH months(ts)",
        "ALTER TABLE logs.requests ADD PARTITION FIELD bucket(2, id)",
        """
        INSERT INTO logs.requests VALUES
          (3, TIMESTAMP '2024-01-15 08:00:00', '/c'), (4, TIMESTAMP '2024-02-01 09:00:00', '/a')
        """,
        "ALTER TABLE logs.requests DROP PARTITION FIELD bucket(2, id)",
        "INSERT INTO logs.requests VALUES (5, TIMESTAMP '2024-02-10 07:00:00', '/d')");

    // Old files keep their spec; new ones use the spec current when written. Dropping the bucket
    // brings back the months-only spec (id 1), as Iceberg reuses an equal spec.
    assertThat(engine().rows("SELECT id, _spec_id FROM logs.requests ORDER BY id"))
        .containsExactly(row(1L, 0), row(2L, 0), row(3L, 2), row(4L, 2), row(5L, 1));
    assertThat(
            engine().rows(
                """
                SELECT id, path FROM logs.requests
                WHERE ts >= '2024-01-02' AND ts < '2024-02-05' ORDER BY id
                """))
        .containsExactly(row(2L, "/b"), row(3L, "/c"), row(4L, "/a"));
    assertThat(engine().rows("DESCRIBE TABLE logs.requests"))
        .contains(row("Part 0", "months(ts)", ""));
  }

  @Test
  @DisplayName("spark: time travel by snapshot id and by timestamp")
  void timeTravel() throws InterruptedException {
    engine().sql(
        "CREATE NAMESPACE fx",
        "CREATE TABLE fx.rates (currency STRING, rate DECIMAL(8, 4)) USING iceberg",
        "INSERT INTO fx.rates VALUES ('EUR', 1.0000), ('USD', 1.0850)");
    Thread.sleep(20); // distinct commit timestamps
    engine().sql("INSERT INTO fx.rates VALUES ('GBP', 0.8600)");
    Thread.sleep(20);
    engine().sql("UPDATE fx.rates SET rate = 1.0900 WHERE currency = 'USD'");
    List<List<Object>> snapshots =
        engine().rows(
            "SELECT snapshot_id, committed_at FROM fx.rates.snapshots ORDER BY committed_at");
    assertThat(snapshots).hasSize(3);

    String query = "SELECT currency, rate FROM fx.rates %s ORDER BY currency";
    assertThat(engine().rows(query.formatted("VERSION AS OF " + snapshots.get(0).get(0))))
        .containsExactly(
            row("EUR", new BigDecimal("1.0000")), row("USD", new BigDecimal("1.0850")));
    List<List<Object>> second =
        List.of(
            row("EUR", new BigDecimal("1.0000")),
            row("GBP", new BigDecimal("0.8600")),
            row("USD", new BigDecimal("1.0850")));
    assertThat(engine().rows(query.formatted("VERSION AS OF " + snapshots.get(1).get(0))))
        .isEqualTo(second);
    Instant secondCommit = (Instant) snapshots.get(1).get(1);
    assertThat(engine().rows(query.formatted("TIMESTAMP AS OF '" + timestamp(secondCommit) + "'")))
        .isEqualTo(second);
    assertThat(
            engine().rows(
                query.formatted("TIMESTAMP AS OF '" + timestamp(secondCommit.plusMillis(1)) + "'")))
        .isEqualTo(second);
    assertThat(engine().rows(query.formatted("")))
        .containsExactly(
            row("EUR", new BigDecimal("1.0000")),
            row("GBP", new BigDecimal("0.8600")),
            row("USD", new BigDecimal("1.0900")));
    Instant first = (Instant) snapshots.get(0).get(1);
    assertThatThrownBy(
            () ->
                engine().rows(
                    query.formatted("TIMESTAMP AS OF '" + timestamp(first.minusSeconds(60)) + "'")))
        .hasMessageContaining("Cannot find a snapshot older than");
  }

  @Test
  @DisplayName("spark: branches and tags, write to a branch, fast-forward main")
  void branchesAndTags() {
    engine().sql(
        "CREATE NAMESPACE audit",
        "CREATE TABLE audit.payments (id INT, status STRING) USING iceberg",
        "INSERT INTO audit.payments VALUES (1, 'new'), (2, 'new')",
        "ALTER TABLE audit.payments CREATE TAG v1",
        "ALTER TABLE audit.payments CREATE BRANCH review",
        "INSERT INTO audit.payments.branch_review VALUES (3, 'new')",
        "UPDATE audit.payments.branch_review SET status = 'checked' WHERE id <= 2");

    List<List<Object>> reviewed = List.of(row(1, "checked"), row(2, "checked"), row(3, "new"));
    assertThat(engine().rows("SELECT * FROM audit.payments.branch_review ORDER BY id"))
        .isEqualTo(reviewed);
    assertThat(engine().rows("SELECT * FROM audit.payments VERSION AS OF 'review' ORDER BY id"))
        .isEqualTo(reviewed);
    List<List<Object>> original = List.of(row(1, "new"), row(2, "new"));
    assertThat(engine().rows("SELECT * FROM audit.payments ORDER BY id")).isEqualTo(original);
    assertThat(engine().rows("SELECT * FROM audit.payments.tag_v1 ORDER BY id")).isEqualTo(original);
    assertThat(engine().rows("SELECT name, type FROM audit.payments.refs ORDER BY name"))
        .containsExactly(row("main", "BRANCH"), row("review", "BRANCH"), row("v1", "TAG"));

    long mainBefore =
        (long) engine().value("SELECT snapshot_id FROM audit.payments.refs WHERE name = 'main'");
    long review =
        (long) engine().value("SELECT snapshot_id FROM audit.payments.refs WHERE name = 'review'");
    assertThat(engine().rows("CALL system.fast_forward('audit.payments', 'main', 'review')"))
        .containsExactly(row("main", mainBefore, review));
    assertThat(engine().rows("SELECT * FROM audit.payments ORDER BY id")).isEqualTo(reviewed);
    assertThat(engine().rows("SELECT * FROM audit.payments VERSION AS OF 'v1' ORDER BY id"))
        .isEqualTo(original);

    engine().sql(
        "ALTER TABLE audit.payments DROP BRANCH review", "ALTER TABLE audit.payments DROP TAG v1");
    assertThat(engine().rows("SELECT name FROM audit.payments.refs")).containsExactly(row("main"));
  }

  @Test
  @DisplayName("spark: CTAS and RTAS (staged create and replace)")
  void createAndReplaceTableAsSelect() {
    engine().sql(
        "CREATE NAMESPACE bi",
        "CREATE TABLE bi.sales (id INT, region STRING, amount DECIMAL(10, 2)) USING iceberg",
        "INSERT INTO bi.sales VALUES (1, 'north', 100.0), (2, 'south', 40.0), (3, 'north', 60.0)",
        """
        CREATE TABLE bi.totals USING iceberg PARTITIONED BY (region)
        AS SELECT region, sum(amount) AS total FROM bi.sales GROUP BY region\
        """);
    assertThat(engine().rows("SELECT * FROM bi.totals ORDER BY region"))
        .containsExactly(
            row("north", new BigDecimal("160.00")), row("south", new BigDecimal("40.00")));

    engine().sql(
        """
        CREATE OR REPLACE TABLE bi.totals USING iceberg
        AS SELECT region, count(*) AS orders, max(amount) AS largest FROM bi.sales GROUP BY region\
        """);
    assertThat(engine().rows("SELECT * FROM bi.totals ORDER BY region"))
        .containsExactly(
            row("north", 2L, new BigDecimal("100.00")), row("south", 1L, new BigDecimal("40.00")));
    // A replace keeps the table's history: both versions' snapshots remain.
    assertThat(engine().value("SELECT count(*) FROM bi.totals.snapshots")).isEqualTo(2L);

    engine().sql(
        "REPLACE TABLE bi.totals USING iceberg AS SELECT region FROM bi.sales WHERE amount > 50");
    assertThat(engine().rows("SELECT * FROM bi.totals ORDER BY region"))
        .containsExactly(row("north"), row("north"));

    // A staged create whose query fails leaves no table behind.
    assertThatThrownBy(
            () ->
                engine().sql(
                    """
                    CREATE TABLE bi.broken USING iceberg
                    AS SELECT id, CAST(raise_error('boom') AS STRING) AS x FROM bi.sales
                    """))
        .hasMessageContaining("boom");
    // A schema the table's format cannot hold is the user's error, reported as such.
    assertThatThrownBy(
            () ->
                engine().sql(
                    "CREATE TABLE bi.broken USING iceberg AS SELECT id, NULL AS x FROM bi.sales"))
        .hasMessageContaining("unknown is not supported until v3");
    assertThat(engine().rows("SHOW TABLES IN bi"))
        .containsExactlyInAnyOrder(row("bi", "sales", false), row("bi", "totals", false));
  }

  @Test
  @DisplayName("spark: RENAME a table across namespaces")
  void renameAcrossNamespaces() {
    engine().sql(
        "CREATE NAMESPACE staging",
        "CREATE NAMESPACE prod",
        "CREATE TABLE staging.orders (id INT, item STRING) USING iceberg",
        "INSERT INTO staging.orders VALUES (1, 'pen'), (2, 'ink')",
        "ALTER TABLE staging.orders RENAME TO prod.orders",
        "INSERT INTO prod.orders VALUES (3, 'paper')");

    assertThat(engine().rows("SELECT * FROM prod.orders ORDER BY id"))
        .containsExactly(row(1, "pen"), row(2, "ink"), row(3, "paper"));
    assertThat(engine().rows("SHOW TABLES IN staging")).isEmpty();
    assertThat(engine().rows("SHOW TABLES IN prod")).containsExactly(row("prod", "orders", false));
    assertThatThrownBy(() -> engine().rows("SELECT * FROM staging.orders"))
        .hasMessageContaining("TABLE_OR_VIEW_NOT_FOUND");
    // The old name is free again.
    engine().sql("CREATE TABLE staging.orders (id INT) USING iceberg");
    assertThat(engine().rows("SELECT * FROM staging.orders")).isEmpty();
  }

  @Test
  @DisplayName("spark: DROP keeps files, DROP ... PURGE deletes them")
  void dropAndPurge() {
    engine().sql("CREATE NAMESPACE trash");
    for (String name : List.of("kept", "purged")) {
      engine().sql(
          "CREATE TABLE trash.%s (id INT, note STRING) USING iceberg".formatted(name),
          "INSERT INTO trash.%s VALUES (1, 'a'), (2, 'b')".formatted(name),
          "INSERT INTO trash.%s VALUES (3, 'c')".formatted(name));
    }
    List<Path> kept = tableFiles("trash.kept");
    List<Path> purged = tableFiles("trash.purged");
    assertThat(kept).isNotEmpty().allMatch(Files::exists);
    assertThat(purged).isNotEmpty().allMatch(Files::exists);

    engine().sql("DROP TABLE trash.kept", "DROP TABLE trash.purged PURGE");

    assertThat(engine().rows("SHOW TABLES IN trash")).isEmpty();
    assertThatThrownBy(() -> engine().rows("SELECT * FROM trash.kept"))
        .hasMessageContaining("TABLE_OR_VIEW_NOT_FOUND");
    assertThat(kept).allMatch(Files::exists);
    assertThat(purged).noneMatch(Files::exists);
  }

  @Test
  @DisplayName("spark: Iceberg views (CREATE, SELECT, SHOW VIEWS, replace, rename, DROP VIEW)")
  void views() {
    engine().sql(
        "CREATE NAMESPACE reports",
        "CREATE NAMESPACE archive",
        "CREATE TABLE reports.sales (id INT, region STRING, amount DECIMAL(10, 2)) USING iceberg",
        """
        INSERT INTO reports.sales VALUES
          (1, 'north', 250.00), (2, 'south', 80.00), (3, 'north', 900.00)
        """,
        """
        CREATE VIEW reports.big_sales (id, region, amount COMMENT 'in EUR')
        COMMENT 'sales over 100' TBLPROPERTIES ('team' = 'bi')
        AS SELECT id, region, amount FROM reports.sales WHERE amount > 100\
        """);

    assertThat(engine().rows("SELECT * FROM reports.big_sales ORDER BY id"))
        .containsExactly(
            row(1, "north", new BigDecimal("250.00")), row(3, "north", new BigDecimal("900.00")));
    assertThat(engine().rows("SHOW VIEWS IN reports"))
        .containsExactly(row("reports", "big_sales", false));
    assertThat(engine().rows("SHOW TABLES IN reports"))
        .containsExactly(row("reports", "sales", false));
    assertThat(engine().rows("SHOW TBLPROPERTIES reports.big_sales")).contains(row("team", "bi"));
    assertThat(engine().rows("DESCRIBE TABLE EXTENDED reports.big_sales"))
        .contains(row("amount", "decimal(10,2)", "in EUR"));

    engine().sql(
        """
        CREATE OR REPLACE VIEW reports.big_sales
        AS SELECT id, amount FROM reports.sales WHERE amount > 500
        """,
        "INSERT INTO reports.sales VALUES (4, 'south', 700.00)");
    assertThat(engine().rows("SELECT * FROM reports.big_sales ORDER BY id"))
        .containsExactly(row(3, new BigDecimal("900.00")), row(4, new BigDecimal("700.00")));

    engine().sql("ALTER VIEW reports.big_sales RENAME TO archive.big_sales");
    assertThat(engine().rows("SHOW VIEWS IN reports")).isEmpty();
    assertThat(engine().rows("SELECT count(*) FROM archive.big_sales")).containsExactly(row(2L));

    engine().sql("DROP VIEW archive.big_sales");
    assertThat(engine().rows("SHOW VIEWS IN archive")).isEmpty();
    assertThatThrownBy(() -> engine().rows("SELECT * FROM archive.big_sales"))
        .hasMessageContaining("TABLE_OR_VIEW_NOT_FOUND");
    assertThat(engine().value("SELECT count(*) FROM reports.sales")).isEqualTo(4L);
  }

  @Test
  @DisplayName("spark: CALL system.expire_snapshots")
  void expireSnapshots() {
    engine().sql(
        "CREATE NAMESPACE ops",
        "CREATE TABLE ops.metrics (day DATE, hits BIGINT) USING iceberg",
        "INSERT INTO ops.metrics VALUES (DATE '2024-07-01', 10)",
        "INSERT INTO ops.metrics VALUES (DATE '2024-07-02', 20)");
    List<Path> replaced =
        tableFiles("ops.metrics").stream().filter(p -> p.toString().endsWith(".parquet")).toList();
    long firstSnapshot = snapshotIds("ops.metrics").get(0);
    engine().sql("INSERT OVERWRITE ops.metrics SELECT day, hits * 10 FROM ops.metrics");

    List<List<Object>> result =
        engine().rows(
            """
            CALL system.expire_snapshots(
              table => 'ops.metrics', older_than => TIMESTAMP '%s', retain_last => 1)
            """
                .formatted(timestamp(Instant.now().plusSeconds(1))));

    assertThat(result.get(0).get(0)).as("deleted_data_files_count").isEqualTo(2L);
    assertThat(replaced).hasSize(2).noneMatch(Files::exists);
    assertThat(engine().value("SELECT count(*) FROM ops.metrics.snapshots")).isEqualTo(1L);
    assertThat(engine().rows("SELECT * FROM ops.metrics ORDER BY day"))
        .containsExactly(row(LocalDate.of(2024, 7, 1), 100L), row(LocalDate.of(2024, 7, 2), 200L));
    assertThatThrownBy(() -> engine().rows("SELECT * FROM ops.metrics VERSION AS OF " + firstSnapshot))
        .hasMessageContaining("Cannot find snapshot with ID " + firstSnapshot);
  }

  @Test
  @DisplayName("spark: CALL system.rewrite_data_files")
  void rewriteDataFiles() {
    engine().sql(
        "CREATE NAMESPACE compaction",
        "CREATE TABLE compaction.clicks (id BIGINT, page STRING) USING iceberg");
    for (int id = 1; id <= 4; id++) {
      engine().sql("INSERT INTO compaction.clicks VALUES (%d, '/page/%d')".formatted(id, id));
    }
    assertThat(engine().value("SELECT count(*) FROM compaction.clicks.files")).isEqualTo(4L);

    List<Object> result =
        engine()
            .rows(
                """
                CALL system.rewrite_data_files(
                  table => 'compaction.clicks', options => map('min-input-files', '2'))
                """)
            .get(0);

    assertThat(result.subList(0, 2)).as("rewritten, added data files").containsExactly(4, 1);
    assertThat(engine().value("SELECT count(*) FROM compaction.clicks.files")).isEqualTo(1L);
    assertThat(
            engine().rows("SELECT operation FROM compaction.clicks.snapshots ORDER BY committed_at"))
        .containsExactly(
            row("append"), row("append"), row("append"), row("append"), row("replace"));
    assertThat(engine().rows("SELECT * FROM compaction.clicks ORDER BY id"))
        .containsExactly(
            row(1L, "/page/1"), row(2L, "/page/2"), row(3L, "/page/3"), row(4L, "/page/4"));
  }

  @Test
  @DisplayName("spark: two sessions appending to one table concurrently")
  void concurrentWriters() throws Exception {
    engine().sql(
        "CREATE NAMESPACE ingest",
        "CREATE TABLE ingest.readings (sensor STRING, seq INT) USING iceberg");
    int appendsPerWriter = 6;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService writers = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (String sensor : List.of("north", "south")) {
        SparkEngine session = engine().newSession();
        done.add(
            writers.submit(
                () -> {
                  go.await();
                  for (int seq = 1; seq <= appendsPerWriter; seq++) {
                    session.sql(
                        "INSERT INTO ingest.readings VALUES ('%s', %d)".formatted(sensor, seq));
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> writer : done) {
        writer.get();
      }
    } finally {
      writers.shutdownNow();
    }

    engine().sql("REFRESH TABLE ingest.readings");
    assertThat(
            engine().rows(
                "SELECT sensor, count(*), sum(seq) FROM ingest.readings GROUP BY 1 ORDER BY 1"))
        .containsExactly(row("north", 6L, 21L), row("south", 6L, 21L));
    assertThat(engine().value("SELECT count(*) FROM ingest.readings.snapshots")).isEqualTo(12L);
  }

  @Test
  @DisplayName("iceberg-java: RESTCatalog reads what Spark wrote; Spark sees the client's changes")
  void javaClientInterop() throws IOException {
    engine().sql(
        "CREATE NAMESPACE interop",
        """
        CREATE TABLE interop.trips (
          id BIGINT, city STRING, fare DECIMAL(8, 2), day DATE, started TIMESTAMP,
          tags ARRAY<STRING>)
        USING iceberg PARTITIONED BY (city)\
        """,
        """
        INSERT INTO interop.trips VALUES
          (1, 'Oslo', 23.50, DATE '2024-09-01', TIMESTAMP '2024-09-01 08:30:00', array('airport')),
          (2, 'Bergen', 9.00, DATE '2024-09-01', TIMESTAMP '2024-09-01 17:05:10', array()),
          (3, 'Oslo', 41.25, DATE '2024-09-02', TIMESTAMP '2024-09-02 23:59:59',
           array('night', 'shared'))\
        """);

    try (RESTCatalog client = new RESTCatalog()) {
      client.setConf(engine().session().sparkContext().hadoopConfiguration());
      client.initialize("java", Map.of("uri", app().uri(), "warehouse", app().warehouse()));
      Table table = client.loadTable(TableIdentifier.of("interop", "trips"));

      assertThat(table.spec().fields()).extracting(PartitionField::name).containsExactly("city");
      List<List<Object>> rows = new ArrayList<>();
      try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
        for (Record record : records) {
          List<Object> values = new ArrayList<>();
          for (int i = 0; i < record.size(); i++) {
            values.add(record.get(i));
          }
          rows.add(values);
        }
      }
      assertThat(rows)
          .containsExactlyInAnyOrder(
              row(
                  1L,
                  "Oslo",
                  new BigDecimal("23.50"),
                  LocalDate.of(2024, 9, 1),
                  utc("2024-09-01T08:30:00"),
                  List.of("airport")),
              row(
                  2L,
                  "Bergen",
                  new BigDecimal("9.00"),
                  LocalDate.of(2024, 9, 1),
                  utc("2024-09-01T17:05:10"),
                  List.of()),
              row(
                  3L,
                  "Oslo",
                  new BigDecimal("41.25"),
                  LocalDate.of(2024, 9, 2),
                  utc("2024-09-02T23:59:59"),
                  List.of("night", "shared")));

      table.updateSchema().addColumn("driver", Types.StringType.get()).commit();
      table.updateProperties().set("team", "dispatch").commit();
    }

    engine().sql(
        "REFRESH TABLE interop.trips",
        "UPDATE interop.trips SET driver = 'Kari' WHERE city = 'Oslo'");
    assertThat(engine().rows("SELECT id, driver FROM interop.trips ORDER BY id"))
        .containsExactly(row(1L, "Kari"), row(2L, null), row(3L, "Kari"));
    assertThat(engine().rows("SHOW TBLPROPERTIES interop.trips ('team')"))
        .containsExactly(row("team", "dispatch"));
  }

  /** A table of five accounts whose DELETE, UPDATE and MERGE run in the given mode. */
  private String accounts(String mode, String operation) {
    String table = "bank.%s_%s".formatted(operation, mode.replace('-', '_'));
    engine().sql(
        "CREATE NAMESPACE IF NOT EXISTS bank",
        """
        CREATE TABLE %s (id INT, owner STRING, balance DECIMAL(10, 2), status STRING) USING iceberg
        TBLPROPERTIES ('format-version' = '2',
          'write.delete.mode' = '%s', 'write.update.mode' = '%s', 'write.merge.mode' = '%s')\
        """
            .formatted(table, mode, mode, mode),
        """
        INSERT INTO %s VALUES
          (1, 'Ada', 120.00, 'open'), (2, 'Grace', 75.50, 'open'), (3, 'Linus', -20.00, 'open'),
          (4, 'Barbara', 0.00, 'closed'), (5, 'Ken', 310.25, 'open')\
        """
            .formatted(table));
    return table;
  }

  /** Copy-on-write rewrites data files; merge-on-read records the change in delete files. */
  private void assertDeleteFiles(String table, String mode) {
    long deleteFiles = (long) engine().value("SELECT count(*) FROM " + table + ".delete_files");
    if (mode.equals("merge-on-read")) {
      assertThat(deleteFiles).as("delete files").isPositive();
    } else {
      assertThat(deleteFiles).as("delete files").isZero();
    }
  }

  private List<Long> snapshotIds(String table) {
    return engine()
        .rows("SELECT snapshot_id FROM " + table + ".snapshots ORDER BY committed_at")
        .stream()
        .map(row -> (Long) row.get(0))
        .toList();
  }

  /**
   * Every file the table's current state reaches: data files, manifests, manifest lists, metadata.
   */
  private List<Path> tableFiles(String table) {
    List<Path> files = new ArrayList<>();
    for (String query :
        List.of(
            "SELECT file_path FROM %s.files",
            "SELECT path FROM %s.manifests",
            "SELECT manifest_list FROM %s.snapshots",
            "SELECT file FROM %s.metadata_log_entries")) {
      engine().rows(query.formatted(table)).forEach(row -> files.add(localPath((String) row.get(0))));
    }
    return files;
  }

  private static Path localPath(String location) {
    return location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
  }

  private static String timestamp(Instant instant) {
    return SQL_TIMESTAMP.format(instant);
  }

  private static OffsetDateTime utc(String localDateTime) {
    return OffsetDateTime.parse(localDateTime + "Z");
  }

  private static int bucket(int buckets, long id) {
    return Transforms.<Long>bucket(buckets).bind(Types.LongType.get()).apply(id);
  }
}
