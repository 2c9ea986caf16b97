package io.bingsan.compat;

import org.junit.jupiter.api.DisplayName;

@DisplayName("Trino 476 on Bingsan with embedded PostgreSQL")
class EmbeddedPostgresTrinoTest extends TrinoScenarios {
  @Override
  CatalogDatabase database() {
    return CatalogDatabase.embedded();
  }
}
