package io.bingsan.compat;

import org.junit.jupiter.api.DisplayName;

@DisplayName("Spark 3.5 on Bingsan with embedded PostgreSQL")
class EmbeddedPostgresSparkTest extends SparkScenarios {
  @Override
  CatalogDatabase database() {
    return CatalogDatabase.embedded();
  }
}
