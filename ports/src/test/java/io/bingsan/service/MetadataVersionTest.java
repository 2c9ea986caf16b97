package io.bingsan.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MetadataVersionTest {
  private static final String FOLDER = "s3://bucket/ns/t/metadata/";

  static Stream<Arguments> earlierAndLater() {
    return Stream.of(
        pair("made in the same millisecond", "00007-a", 1_000, "00008-b", 1_000),
        pair("the file number over the clock", "00007-a", 2_000, "00008-b", 1_000),
        pair("files named by other tools, by the clock", "v7", 1_000, "v8", 2_000));
  }

  private static Arguments pair(
      String name, String earlierName, long earlierMade, String laterName, long laterMade) {
    return Arguments.of(
        Named.of(name, version(earlierName, "u", earlierMade)), version(laterName, "u", laterMade));
  }

  private static MetadataVersion version(String name, String uuid, long madeAtMillis) {
    return new MetadataVersion(FOLDER + name + ".metadata.json", uuid, madeAtMillis);
  }

  @ParameterizedTest
  @MethodSource("earlierAndLater")
  void aLaterVersionReplacesAnEarlierOneAndNotTheOtherWayRound(
      MetadataVersion earlier, MetadataVersion later) {
    assertThat(later.replaces(earlier)).isTrue();
    assertThat(earlier.replaces(later)).isFalse();
  }

  @Test
  void aFileDoesNotReplaceItself() {
    MetadataVersion version = version("00008-a", "u", 2_000);

    assertThat(version.replaces(version("00008-a", "u", 2_000))).isFalse();
  }

  /** A folder shared by two tables holds whichever was read last. */
  @Test
  void anotherObjectsVersionAlwaysReplaces() {
    MetadataVersion mine = version("00008-a", "u", 2_000);
    MetadataVersion other = version("00001-b", "w", 1_000);

    assertThat(other.replaces(mine)).isTrue();
    assertThat(mine.folder()).isEqualTo(other.folder()).isEqualTo("s3://bucket/ns/t/metadata");
  }
}
