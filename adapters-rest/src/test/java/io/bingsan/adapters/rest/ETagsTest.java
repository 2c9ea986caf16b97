package io.bingsan.adapters.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.iceberg.rest.RESTCatalogProperties.SnapshotMode;
import org.junit.jupiter.api.Test;

class ETagsTest {
  private static final String LOCATION = "s3://b/t/metadata/00001-x.metadata.json";

  @Test
  void tagsAreStrongQuotedAndStable() {
    String tag = ETags.of(LOCATION, SnapshotMode.ALL);

    assertThat(tag).matches("\"[0-9a-f]{32}\"");
    assertThat(ETags.of(LOCATION, SnapshotMode.ALL)).isEqualTo(tag);
  }

  @Test
  void tagsDifferBetweenSnapshotModesAndLocations() {
    assertThat(ETags.of(LOCATION, SnapshotMode.ALL)).isNotEqualTo(ETags.of(LOCATION, SnapshotMode.REFS));
    assertThat(ETags.of(LOCATION, SnapshotMode.ALL))
        .isNotEqualTo(ETags.of(LOCATION.replace("00001", "00002"), SnapshotMode.ALL));
  }

  @Test
  void theGzipVariantIsSpelledAsJettysGzipHandlerSpellsIt() {
    String tag = ETags.of(LOCATION, SnapshotMode.ALL);

    assertThat(ETags.gzip(tag)).isEqualTo(tag.substring(0, tag.length() - 1) + "--gzip\"");
  }

  @Test
  void ifNoneMatchMatchesEitherVariantAnyWildcardListOrWeakForm() {
    String tag = ETags.of(LOCATION, SnapshotMode.ALL);
    String gzipTag = ETags.gzip(tag);

    assertThat(ETags.matching(List.of(tag), tag)).isEqualTo(tag);
    assertThat(ETags.matching(List.of(gzipTag), tag)).isEqualTo(gzipTag);
    assertThat(ETags.matching(List.of("*"), tag)).isEqualTo(tag);
    assertThat(ETags.matching(List.of("\"other\", " + gzipTag), tag)).isEqualTo(gzipTag);
    assertThat(ETags.matching(List.of("\"other\"", tag), tag)).isEqualTo(tag);
    assertThat(ETags.matching(List.of("W/" + tag), tag)).isEqualTo(tag);
  }

  @Test
  void ifNoneMatchDoesNotMatchOtherTagsOrNothing() {
    String tag = ETags.of(LOCATION, SnapshotMode.ALL);
    String refsTag = ETags.of(LOCATION, SnapshotMode.REFS);

    assertThat(ETags.matching(null, tag)).isNull();
    assertThat(ETags.matching(List.of(), tag)).isNull();
    assertThat(ETags.matching(List.of(refsTag, ETags.gzip(refsTag)), tag)).isNull();
    assertThat(ETags.matching(List.of(tag.replace("\"", "")), tag)).isNull();
  }
}
