package io.bingsan.ports.out;

import java.util.UUID;

/** Fresh identifiers for tables, views and metadata files. */
@FunctionalInterface
public interface IdGenerator {
  UUID newId();

  static IdGenerator random() {
    return UUID::randomUUID;
  }
}
