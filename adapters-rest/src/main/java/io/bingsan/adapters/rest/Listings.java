package io.bingsan.adapters.rest;

import io.bingsan.ports.out.Page;
import io.bingsan.service.Paging;
import java.util.ArrayList;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.responses.ListNamespacesResponse;
import org.apache.iceberg.rest.responses.ListTablesResponse;

/**
 * List responses from pages. Iceberg's response builders reject null items by calling {@code
 * contains(null)}, which throws on the immutable lists the ports return; so items are copied.
 */
final class Listings {
  private Listings() {}

  static ListNamespacesResponse namespaces(Page<Namespace> page) {
    return ListNamespacesResponse.builder()
        .addAll(new ArrayList<>(page.items()))
        .nextPageToken(Paging.nextToken(page))
        .build();
  }

  static ListTablesResponse identifiers(Page<TableIdentifier> page) {
    return ListTablesResponse.builder()
        .addAll(new ArrayList<>(page.items()))
        .nextPageToken(Paging.nextToken(page))
        .build();
  }
}
