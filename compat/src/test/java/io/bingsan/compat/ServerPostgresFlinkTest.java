package io.bingsan.compat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

@DisplayName("Flink 2.1 on Bingsan with a PostgreSQL server")
@EnabledIfSystemProperty(named = CatalogDatabase.JDBC_URL_PROPERTY, matches = ".+")
class ServerPostgresFlinkTest extends FlinkScenarios {
  @Override
  CatalogDatabase database() {
    return CatalogDatabase.server();
  }
}
