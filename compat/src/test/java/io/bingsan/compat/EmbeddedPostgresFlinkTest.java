package io.bingsan.compat;

import org.junit.jupiter.api.DisplayName;

@DisplayName("Flink 2.1 on Bingsan with embedded PostgreSQL")
class EmbeddedPostgresFlinkTest extends FlinkScenarios {
  @Override
  CatalogDatabase database() {
    return CatalogDatabase.embedded();
  }
}
