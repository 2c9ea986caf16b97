package io.bingsan.compat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A JDBC session on the shared {@link TrinoServer}, with Bingsan added as catalog {@code bingsan}
 * with the settings the README documents, plus local file access for the test's warehouse folder.
 */
final class TrinoEngine implements SqlEngine {
  static final String CATALOG = "bingsan";

  private final Connection connection;

  private TrinoEngine(Connection connection) {
    this.connection = connection;
  }

  static TrinoEngine connect(String uri, String warehouse) throws Exception {
    Connection connection = DriverManager.getConnection(TrinoServer.shared().jdbcUrl());
    TrinoEngine trino = new TrinoEngine(connection);
    trino.sql(
        """
        CREATE CATALOG %s USING iceberg WITH (
          "iceberg.catalog.type" = 'rest',
          "iceberg.rest-catalog.uri" = '%s',
          "iceberg.rest-catalog.warehouse" = '%s',
          "fs.native-local.enabled" = 'true',
          "local.location" = '/')
        """
            .formatted(CATALOG, uri, warehouse));
    connection.setCatalog(CATALOG);
    return trino;
  }

  /** Runs statements in order, as the Trino CLI does. */
  @Override
  public void sql(String... statements) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  /** The rows a query returns, each as a list of plain Java values (dates as LocalDate). */
  @Override
  public List<List<Object>> rows(String query) throws SQLException {
    List<List<Object>> rows = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(query)) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        List<Object> row = new ArrayList<>(columns);
        for (int i = 1; i <= columns; i++) {
          Object value = result.getObject(i);
          row.add(value instanceof java.sql.Date date ? date.toLocalDate() : value);
        }
        rows.add(row);
      }
    }
    return rows;
  }

  /** Removes the catalog again, so that the next suite can add its own Bingsan under that name. */
  @Override
  public void close() throws SQLException {
    try {
      sql("DROP CATALOG " + CATALOG);
    } finally {
      connection.close();
    }
  }
}
