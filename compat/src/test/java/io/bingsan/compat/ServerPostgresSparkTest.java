package io.bingsan.compat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

@DisplayName("Spark 3.5 on Bingsan with a PostgreSQL server")
@EnabledIfSystemProperty(named = CatalogDatabase.JDBC_URL_PROPERTY, matches = ".+")
class ServerPostgresSparkTest extends SparkScenarios {
  @Override
  CatalogDatabase database() {
    return CatalogDatabase.server();
  }
}
