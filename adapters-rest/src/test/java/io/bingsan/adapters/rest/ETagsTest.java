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
  void ifNoneMatchMatchesTheTagAnyWildcardListOrWeakForm() {
    String tag = ETags.of(LOCATION, SnapshotMode.ALL);

    assertThat(ETags.matches(List.of(tag), tag)).isTrue();
    assertThat(ETags.matches(List.of("*"), tag)).isTrue();
    assertThat(ETags.matches(List.of("\"other\", " + tag), tag)).isTrue();
    assertThat(ETags.matches(List.of("\"other\"", tag), tag)).isTrue();
    assertThat(ETags.matches(List.of("W/" + tag), tag)).isTrue();
  }

  @Test
  void ifNoneMatchDoesNotMatchOtherTagsOrNothing() {
    String tag = ETags.of(LOCATION, SnapshotMode.ALL);

    assertThat(ETags.matches(null, tag)).isFalse();
    assertThat(ETags.matches(List.of(), tag)).isFalse();
    assertThat(ETags.matches(List.of(ETags.of(LOCATION, SnapshotMode.REFS)), tag)).isFalse();
    assertThat(ETags.matches(List.of(tag.replace("\"", "")), tag)).isFalse();
  }
}
