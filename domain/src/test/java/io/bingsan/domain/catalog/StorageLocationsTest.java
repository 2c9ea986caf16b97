package io.bingsan.domain.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.iceberg.exceptions.BadRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class StorageLocationsTest {

  /** Spellings of one place: a path, Iceberg's {@code file:/} form, and the URI form. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "/a/b",
        "file:/a/b",
        "file:///a/b",
        "/a/b/",
        "file:///a/b//",
        "FILE:/a/b",
        " /a/b "
      })
  void localSpellingsOfOnePathAreEqual(String spelling) {
    assertThat(StorageLocations.normalize(spelling)).isEqualTo(StorageLocations.normalize("/a/b"));
    assertThat(StorageLocations.isUnder(spelling, "/a/b")).isTrue();
    assertThat(StorageLocations.isUnder("/a/b", spelling)).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {"s3://bucket/wh", "s3://bucket/wh/", "s3://bucket/wh///", "S3://bucket/wh"})
  void objectStoreUrisLoseTrailingSlashesAndSchemeCase(String spelling) {
    assertThat(StorageLocations.normalize(spelling)).isEqualTo("s3://bucket/wh");
  }

  @Test
  void bucketAndPathCaseIsKept() {
    // Object keys are case-sensitive; only the scheme is not.
    assertThat(StorageLocations.normalize("gs://Bucket/Path")).isEqualTo("gs://Bucket/Path");
    assertThat(StorageLocations.isUnder("gs://bucket/path/t", "gs://Bucket/Path")).isFalse();
  }

  @Test
  void rootStaysARoot() {
    assertThat(StorageLocations.isUnder("/anything/at/all", "/")).isTrue();
    assertThat(StorageLocations.isUnder("file:/x", "file:///")).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "/a/../b",
        "/a/..",
        "/a/./b",
        "/a/.",
        "file:///a/../../etc",
        "s3://bucket/wh/../other",
        "gs://bucket/./wh",
        "s3://bucket/wh/.."
      })
  void relativeSegmentsAreRejected(String location) {
    assertThatThrownBy(() -> StorageLocations.normalize(location))
        .isInstanceOf(BadRequestException.class);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/a/..b", "/a/b..", "/a/.hidden", "s3://bucket/.../x"})
  void dotsInsideANameAreNotRelativeSegments(String location) {
    assertThat(StorageLocations.normalize(location))
        .endsWith(location.substring(location.lastIndexOf('/')));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @NullAndEmptySource
  @ValueSource(strings = {"   ", "relative/path", "table"})
  void locationMustBeAbsolute(String location) {
    assertThatThrownBy(() -> StorageLocations.normalize(location))
        .isInstanceOf(BadRequestException.class);
  }

  static Stream<Arguments> containment() {
    return Stream.of(
        Arguments.of("/warehouse", "/warehouse", true),
        Arguments.of("/warehouse/ns/t", "/warehouse", true),
        Arguments.of("file:///warehouse/ns/t/", "/warehouse/", true),
        // A shared prefix is not containment.
        Arguments.of("/warehouse2", "/warehouse", false),
        Arguments.of("/warehouse2/t", "/warehouse", false),
        Arguments.of("/ware", "/warehouse", false),
        Arguments.of("/warehouse", "/warehouse/ns", false),
        Arguments.of("s3://bucket/wh/ns/t", "s3://bucket/wh", true),
        Arguments.of("s3://bucket/wh2/t", "s3://bucket/wh", false),
        Arguments.of("s3://bucket2/wh", "s3://bucket", false),
        Arguments.of("s3a://bucket/wh/t", "s3://bucket/wh", false),
        Arguments.of("gs://bucket/wh/t", "s3://bucket/wh", false),
        Arguments.of("file:/bucket/wh/t", "s3://bucket/wh", false),
        Arguments.of("gs://bucket/wh/t", "gs://bucket/wh/", true));
  }

  @ParameterizedTest(name = "{0} under {1}: {2}")
  @MethodSource("containment")
  void isUnder(String location, String root, boolean under) {
    assertThat(StorageLocations.isUnder(location, root)).isEqualTo(under);
  }

  /**
   * Property-style: for random roots and random relative paths (names may contain dots and dashes,
   * never a whole "." or ".."), a path built under a root is under it in every spelling, and the
   * root extended by a character is not.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {101, 102, 103, 104, 105})
  void pathsBuiltBelowARootAreUnderIt(long seed) {
    Random random = new Random(seed);
    List<Function<String, String>> spellings =
        List.of(p -> p, p -> "file:" + p, p -> "file://" + p, p -> p + "/");
    for (int i = 0; i < 300; i++) {
      String root = "/" + randomPath(random, 1 + random.nextInt(3));
      String below = root + "/" + randomPath(random, 1 + random.nextInt(4));
      String sibling = root + randomName(random);
      Function<String, String> spellRoot = spellings.get(random.nextInt(spellings.size()));
      Function<String, String> spellPath = spellings.get(random.nextInt(spellings.size()));

      assertThat(StorageLocations.isUnder(spellPath.apply(below), spellRoot.apply(root)))
          .as("%s under %s", below, root)
          .isTrue();
      assertThat(StorageLocations.isUnder(spellPath.apply(sibling), spellRoot.apply(root)))
          .as("%s not under %s", sibling, root)
          .isFalse();
      assertThat(StorageLocations.isUnder("s3://bucket" + below, "s3://bucket" + root)).isTrue();
      assertThat(StorageLocations.isUnder("s3://bucket" + sibling, "s3://bucket" + root)).isFalse();
    }
  }

  @Test
  void normalizeIsIdempotent() {
    Random random = new Random(7);
    for (int i = 0; i < 200; i++) {
      String location =
          List.of("/", "file:/", "file:///", "s3://b/", "gs://b/").get(random.nextInt(5))
              + randomPath(random, 1 + random.nextInt(4))
              + "/".repeat(random.nextInt(3));
      String once = StorageLocations.normalize(location);
      assertThat(StorageLocations.normalize(once)).isEqualTo(once);
    }
  }

  private static String randomPath(Random random, int segments) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < segments; i++) {
      names.add(randomName(random));
    }
    return String.join("/", names);
  }

  private static String randomName(Random random) {
    String alphabet = "abcxyz019-_.";
    StringBuilder name = new StringBuilder();
    int length = 1 + random.nextInt(6);
    for (int i = 0; i < length; i++) {
      name.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    String result = name.toString();
    return result.equals(".") || result.equals("..") ? result + "x" : result;
  }
}
