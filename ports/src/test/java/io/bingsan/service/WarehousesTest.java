package io.bingsan.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bingsan.domain.catalog.Warehouse;
import java.util.List;
import org.apache.iceberg.exceptions.NoSuchWarehouseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class WarehousesTest {
  private final Warehouse first = new Warehouse("first", "/data/first", null);
  private final Warehouse second = new Warehouse("second", "s3://bucket/second", null);
  private final Warehouses warehouses = new Warehouses(List.of(first, second));

  @Test
  void requireFindsByNameOnly() {
    assertThat(warehouses.require("second")).isEqualTo(second);
    assertThatThrownBy(() -> warehouses.require("s3://bucket/second"))
        .isInstanceOf(NoSuchWarehouseException.class);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @NullAndEmptySource
  @ValueSource(strings = {"  "})
  void noRequestSelectsTheFirst(String requested) {
    assertThat(warehouses.select(requested)).isEqualTo(first);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"second", "s3://bucket/second", "s3://bucket/second/"})
  void selectByNameOrRootLocation(String requested) {
    assertThat(warehouses.select(requested)).isEqualTo(second);
  }

  @Test
  void localRootMatchesInAnySpelling() {
    assertThat(warehouses.select("file:///data/first/")).isEqualTo(first);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"third", "s3://bucket", "/data/first/sub", "/data/../first"})
  void unknownWarehouse(String requested) {
    assertThatThrownBy(() -> warehouses.select(requested))
        .isInstanceOf(NoSuchWarehouseException.class);
  }

  @Test
  void namesMustBeUniqueAndAtLeastOne() {
    assertThatThrownBy(() -> new Warehouses(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Warehouses(List.of(first, new Warehouse("first", "/other", null))))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
