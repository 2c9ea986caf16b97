package io.bingsan.adapters.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bingsan.ports.out.PageRequest;
import io.bingsan.service.Paging;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.rest.RESTCatalogProperties.SnapshotMode;
import org.junit.jupiter.api.Test;

class QueryParamsTest {

  @Test
  void withoutATokenEverythingIsReturned() {
    assertThat(QueryParams.page(null, null)).isEqualTo(PageRequest.ALL);
    assertThat(QueryParams.page(null, "10")).isEqualTo(PageRequest.ALL);
  }

  @Test
  void anEmptyTokenStartsPaging() {
    assertThat(QueryParams.page("", "10")).isEqualTo(new PageRequest(null, 10));
    assertThat(QueryParams.page("", "")).isEqualTo(new PageRequest(null, Paging.DEFAULT_PAGE_SIZE));
  }

  @Test
  void aPageSizeMustBeAPositiveInteger() {
    assertThatThrownBy(() -> QueryParams.page("", "ten")).isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> QueryParams.page("", "0")).isInstanceOf(BadRequestException.class);
  }

  @Test
  void snapshotModesAreAllOrRefs() {
    assertThat(QueryParams.snapshotMode(null)).isEqualTo(SnapshotMode.ALL);
    assertThat(QueryParams.snapshotMode("")).isEqualTo(SnapshotMode.ALL);
    assertThat(QueryParams.snapshotMode("all")).isEqualTo(SnapshotMode.ALL);
    assertThat(QueryParams.snapshotMode("refs")).isEqualTo(SnapshotMode.REFS);
    assertThatThrownBy(() -> QueryParams.snapshotMode("some")).isInstanceOf(BadRequestException.class);
  }

  @Test
  void flagsAreTrueOrFalse() {
    assertThat(QueryParams.flag("purgeRequested", null)).isFalse();
    assertThat(QueryParams.flag("purgeRequested", "false")).isFalse();
    assertThat(QueryParams.flag("purgeRequested", "TRUE")).isTrue();
    assertThatThrownBy(() -> QueryParams.flag("purgeRequested", "yes"))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("purgeRequested");
  }
}
