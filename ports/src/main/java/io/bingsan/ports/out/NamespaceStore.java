package io.bingsan.ports.out;

import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.catalog.Namespace;

/** Reads a warehouse's namespaces. Names compare case-insensitively and keep their case. */
public interface NamespaceStore {

  /** The namespace's properties, or empty when it does not exist. */
  Optional<Map<String, String>> properties(String warehouse, Namespace namespace);

  /**
   * The namespaces one level below {@code parent} (the top level for an empty parent), in a fixed
   * order; a child exists when any namespace lies below it.
   */
  Page<Namespace> listChildren(String warehouse, Namespace parent, PageRequest page);
}
