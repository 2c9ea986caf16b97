package io.bingsan.compat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.collection.JavaConverters;

/**
 * A local Spark 3.5 session whose default catalog is Bingsan, configured as the README tells users
 * (catalog {@code bingsan}, type {@code rest}, Iceberg's SQL extensions), on loopback only.
 */
final class SparkEngine implements SqlEngine {
  static final String CATALOG = "bingsan";

  private final SparkSession session;

  private SparkEngine(SparkSession session) {
    this.session = session;
  }

  /**
   * @param localDirectory where Spark keeps its own session catalog's files, which none of the
   *     tests use but Spark creates
   */
  static SparkEngine connect(String uri, String warehouse, Path localDirectory) {
    String catalog = "spark.sql.catalog." + CATALOG;
    SparkSession session =
        SparkSession.builder()
            .master("local[2]")
            .appName("bingsan-compat")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.sql.session.timeZone", "UTC")
            // Rows carry java.time values (Instant, LocalDate) that assertions can compare.
            .config("spark.sql.datetime.java8API.enabled", "true")
            .config("spark.sql.warehouse.dir", localDirectory.toString())
            .config(
                "spark.sql.extensions",
                "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
            .config(catalog, "org.apache.iceberg.spark.SparkCatalog")
            .config(catalog + ".type", "rest")
            .config(catalog + ".uri", uri)
            .config(catalog + ".warehouse", warehouse)
            .config("spark.sql.defaultCatalog", CATALOG)
            .getOrCreate();
    return new SparkEngine(session);
  }

  SparkSession session() {
    return session;
  }

  /**
   * A second session on the same Spark context, with its own catalog client and table cache, as a
   * second job would have. Closing this engine stops both.
   */
  SparkEngine newSession() {
    return new SparkEngine(session.newSession());
  }

  /** Runs statements in order, as a user types them into spark-sql. */
  @Override
  public void sql(String... statements) {
    for (String statement : statements) {
      session.sql(statement).collect();
    }
  }

  /**
   * The rows a query returns, each as a list of plain Java values (nested rows and arrays as
   * lists).
   */
  @Override
  public List<List<Object>> rows(String query) {
    List<List<Object>> rows = new ArrayList<>();
    for (Row row : session.sql(query).collectAsList()) {
      rows.add(values(row));
    }
    return rows;
  }

  /** The single value of a one-row, one-column query. */
  Object value(String query) {
    List<List<Object>> rows = rows(query);
    if (rows.size() != 1 || rows.get(0).size() != 1) {
      throw new AssertionError("Expected one value from " + query + " but got " + rows);
    }
    return rows.get(0).get(0);
  }

  private static List<Object> values(Row row) {
    List<Object> values = new ArrayList<>(row.size());
    for (int i = 0; i < row.size(); i++) {
      values.add(plain(row.get(i)));
    }
    return values;
  }

  private static Object plain(Object value) {
    if (value instanceof Row nested) {
      return values(nested);
    }
    if (value instanceof scala.collection.Seq<?> seq) {
      List<Object> list = new ArrayList<>();
      JavaConverters.seqAsJavaList(seq).forEach(element -> list.add(plain(element)));
      return list;
    }
    if (value instanceof scala.collection.Map<?, ?> map) {
      Map<Object, Object> sorted = new TreeMap<>();
      JavaConverters.mapAsJavaMap(map).forEach((k, v) -> sorted.put(plain(k), plain(v)));
      return sorted;
    }
    return value;
  }

  @Override
  public void close() {
    session.stop();
  }
}
