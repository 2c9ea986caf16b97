package io.bingsan.compat;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * The PostgreSQL the app under test keeps its catalog in: its embedded one, or the server named by
 * {@code -Dbingsan.test.jdbc-url}, {@code -user} and {@code -password} (CI runs both).
 *
 * @param label how reports name it
 * @param environment the variables {@code bingsan-database.yml} reads; empty for the embedded one
 */
record CatalogDatabase(String label, Map<String, String> environment) {
  static final String JDBC_URL_PROPERTY = "bingsan.test.jdbc-url";

  CatalogDatabase {
    requireNonNull(label, "label is null");
    environment = Map.copyOf(environment);
  }

  static CatalogDatabase embedded() {
    return new CatalogDatabase("embedded PostgreSQL", Map.of());
  }

  static CatalogDatabase server() {
    String url = System.getProperty(JDBC_URL_PROPERTY, "");
    if (url.isBlank()) {
      throw new IllegalStateException("-D" + JDBC_URL_PROPERTY + " names no PostgreSQL server");
    }
    return new CatalogDatabase(
        "PostgreSQL server",
        Map.of(
            "BINGSAN_DB_URL", url,
            "BINGSAN_DB_USER", System.getProperty("bingsan.test.jdbc-user", ""),
            "BINGSAN_DB_PASSWORD", System.getProperty("bingsan.test.jdbc-password", "")));
  }

  boolean isServer() {
    return !environment.isEmpty();
  }
}
