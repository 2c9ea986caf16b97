package io.bingsan.compat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

@DisplayName("Trino 476 on Bingsan with a PostgreSQL server")
@EnabledIfSystemProperty(named = CatalogDatabase.JDBC_URL_PROPERTY, matches = ".+")
class ServerPostgresTrinoTest extends TrinoScenarios {
  @Override
  CatalogDatabase database() {
    return CatalogDatabase.server();
  }
}
