package io.bingsan.adapters.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableResponseEncodingTest {

  @Test
  void gzipIsAcceptedWhenListedOrCoveredByAWildcardWithAWeight() {
    assertThat(TableResponseEncoding.acceptsGzip(List.of("gzip"))).isTrue();
    assertThat(TableResponseEncoding.acceptsGzip(List.of("gzip, deflate"))).isTrue();
    assertThat(TableResponseEncoding.acceptsGzip(List.of("br;q=1.0, GZIP;q=0.5"))).isTrue();
    assertThat(TableResponseEncoding.acceptsGzip(List.of("deflate", "x-gzip"))).isTrue();
    assertThat(TableResponseEncoding.acceptsGzip(List.of("*"))).isTrue();
  }

  @Test
  void gzipIsRefusedWhenAbsentWeighedZeroOrUnreadable() {
    assertThat(TableResponseEncoding.acceptsGzip(null)).isFalse();
    assertThat(TableResponseEncoding.acceptsGzip(List.of())).isFalse();
    assertThat(TableResponseEncoding.acceptsGzip(List.of("identity"))).isFalse();
    assertThat(TableResponseEncoding.acceptsGzip(List.of("deflate, br"))).isFalse();
    assertThat(TableResponseEncoding.acceptsGzip(List.of("gzip;q=0"))).isFalse();
    assertThat(TableResponseEncoding.acceptsGzip(List.of("gzip;q=0.0, *"))).isFalse();
    assertThat(TableResponseEncoding.acceptsGzip(List.of("*;q=0"))).isFalse();
    assertThat(TableResponseEncoding.acceptsGzip(List.of("gzip;q=high"))).isFalse();
  }

  @Test
  void codingsAndTheirParametersAreReadAroundWhitespaceAndEmptyItems() {
    assertThat(TableResponseEncoding.acceptsGzip(List.of(" x-gzip ;q=0.3 "))).isTrue();
    assertThat(TableResponseEncoding.acceptsGzip(List.of("br,, gzip,"))).isTrue();
    assertThat(TableResponseEncoding.acceptsGzip(List.of("gzip;level=1;Q=1"))).isTrue();
    assertThat(TableResponseEncoding.acceptsGzip(List.of("gzip ; level=1 ; q=0"))).isFalse();
    assertThat(TableResponseEncoding.acceptsGzip(List.of("gzipped, gz"))).isFalse();
    assertThat(TableResponseEncoding.acceptsGzip(List.of("gzip;q=0", "*"))).isFalse();
    assertThat(TableResponseEncoding.acceptsGzip(List.of("", ","))).isFalse();
  }
}
