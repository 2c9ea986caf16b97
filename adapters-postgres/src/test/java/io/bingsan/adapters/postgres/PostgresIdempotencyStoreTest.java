package io.bingsan.adapters.postgres;

import io.bingsan.ports.out.IdempotencyStore;

class PostgresIdempotencyStoreTest extends IdempotencyStoreContractTest {

  @Override
  protected IdempotencyStore store() {
    return new PostgresIdempotencyStore(TestDatabase.jdbi());
  }
}
