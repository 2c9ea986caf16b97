package io.bingsan.domain.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.exceptions.BadRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WarehouseTest {
  private final Warehouse local = new Warehouse("wh", "/data/warehouse/", null);

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"", " ", "a/b"})
  void nameMustBeOnePathSegment(String name) {
    assertThatThrownBy(() -> new Warehouse(name, "/data", null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void locationIsNormalisedAndIsTheDefaultAllowedRoot() {
    assertThat(local.location()).isEqualTo("file:/data/warehouse");
    assertThat(local.allowedLocations()).containsExactly("file:/data/warehouse");
  }

  @Test
  void defaultLocationHasOneFolderPerNamespaceLevel() {
    String location = local.defaultLocation(Namespace.of("a", "b"), Map.of(), "t");

    assertThat(location).isEqualTo("file:/data/warehouse/a/b/t");
    assertThat(local.requireAllowed(location)).isEqualTo(location);
  }

  @Test
  void namespaceLocationPropertyIsHonoured() {
    String location =
        local.defaultLocation(
            Namespace.of("a"), Map.of("location", "file:///data/warehouse/custom/"), "t");

    assertThat(location).isEqualTo("file:/data/warehouse/custom/t");
  }

  @Test
  void namespaceLocationIsTheParentOfItsObjects() {
    assertThat(local.namespaceLocation(Namespace.of("a", "b"), Map.of()))
        .isEqualTo("file:/data/warehouse/a/b");
    assertThat(local.namespaceLocation(Namespace.of("a"), Map.of("location", "/data/warehouse/c/")))
        .isEqualTo("file:/data/warehouse/c");
  }

  @Test
  void blankNamespaceLocationIsIgnored() {
    assertThat(local.defaultLocation(Namespace.of("a"), Map.of("location", " "), "t"))
        .isEqualTo("file:/data/warehouse/a/t");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "/data/warehouse/ns/t",
        "file:/data/warehouse/t/",
        "file:///data/warehouse",
        "/data/warehouse"
      })
  void locationsUnderTheRootAreAllowed(String location) {
    assertThat(local.requireAllowed(location)).startsWith("file:/data/warehouse");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "/data/warehouse2/t",
        "/data",
        "/etc/passwd",
        "/data/warehouse/../secrets",
        "/data/warehouse/./t",
        "s3://bucket/data/warehouse",
        "relative/t"
      })
  void locationsOutsideTheRootAreBadRequests(String location) {
    assertThatThrownBy(() -> local.requireAllowed(location))
        .isInstanceOf(BadRequestException.class);
  }

  @Test
  void objectStoreWarehouseWithExtraAllowedRoots() {
    Warehouse cloud =
        new Warehouse("cloud", "s3://bucket/wh", List.of("s3://bucket/wh/", "gs://other/shared"));

    assertThat(cloud.defaultLocation(Namespace.of("ns"), Map.of(), "t"))
        .isEqualTo("s3://bucket/wh/ns/t");
    assertThat(cloud.requireAllowed("gs://other/shared/t")).isEqualTo("gs://other/shared/t");
    assertThat(cloud.requireAllowed("S3://bucket/wh/x/")).isEqualTo("s3://bucket/wh/x");
    assertThatThrownBy(() -> cloud.requireAllowed("s3://bucket/wh2"))
        .isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> cloud.requireAllowed("gs://other/sharedx"))
        .isInstanceOf(BadRequestException.class);
  }

  /** A namespace level cannot smuggle a path outside the warehouse into a default location. */
  @Test
  void namespaceLevelThatClimbsOutIsRejected() {
    String location = local.defaultLocation(Namespace.of(".."), Map.of(), "t");

    assertThatThrownBy(() -> local.requireAllowed(location))
        .isInstanceOf(BadRequestException.class);
  }
}
