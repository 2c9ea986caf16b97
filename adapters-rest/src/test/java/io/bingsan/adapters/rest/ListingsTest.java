package io.bingsan.adapters.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.bingsan.ports.out.Page;
import io.bingsan.service.Paging;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.responses.ListTablesResponse;
import org.junit.jupiter.api.Test;

class ListingsTest {
  private final IcebergJson json = new IcebergJson(1 << 20);

  @Test
  void identifiersAreWrittenExactlyAsIcebergsListTablesResponse() {
    Namespace nested = Namespace.of("a", "b.c", "d\"e");
    List<Page<TableIdentifier>> pages =
        List.of(
            new Page<>(List.of(), null),
            new Page<>(List.of(TableIdentifier.of(Namespace.of("x"), "t")), null),
            new Page<>(
                List.of(TableIdentifier.of(nested, "t1"), TableIdentifier.of(nested, "t/2 é")),
                "t/2 é"));

    for (Page<TableIdentifier> page : pages) {
      byte[] streamed = json.write(generator -> Listings.writeIdentifiers(page, generator));

      assertThat(new String(streamed, StandardCharsets.UTF_8))
          .isEqualTo(new String(json.write(viaIcebergsResponse(page)), StandardCharsets.UTF_8));
    }
  }

  private static ListTablesResponse viaIcebergsResponse(Page<TableIdentifier> page) {
    return ListTablesResponse.builder()
        .addAll(new ArrayList<>(page.items()))
        .nextPageToken(Paging.nextToken(page))
        .build();
  }
}
