package io.bingsan.adapters.rest;

import com.fasterxml.jackson.core.JsonGenerator;
import io.bingsan.ports.out.Page;
import io.bingsan.service.Paging;
import java.io.IOException;
import java.util.ArrayList;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.catalog.TableIdentifierParser;
import org.apache.iceberg.rest.responses.ListNamespacesResponse;

/** List responses from pages. */
final class Listings {
  private Listings() {}

  /**
   * Iceberg's response builder rejects null items by calling {@code contains(null)}, which throws
   * on the immutable lists the ports return; so items are copied.
   */
  static ListNamespacesResponse namespaces(Page<Namespace> page) {
    return ListNamespacesResponse.builder()
        .addAll(new ArrayList<>(page.items()))
        .nextPageToken(Paging.nextToken(page))
        .build();
  }

  /**
   * The {@code ListTablesResponse} of a page of tables or views, written identifier by identifier
   * with no response object in between: {@code {"identifiers":[…],"next-page-token":…}}.
   */
  static void writeIdentifiers(Page<TableIdentifier> page, JsonGenerator generator)
      throws IOException {
    generator.writeStartObject();
    generator.writeArrayFieldStart("identifiers");
    for (TableIdentifier identifier : page.items()) {
      TableIdentifierParser.toJson(identifier, generator);
    }
    generator.writeEndArray();
    generator.writeStringField("next-page-token", Paging.nextToken(page));
    generator.writeEndObject();
  }
}
