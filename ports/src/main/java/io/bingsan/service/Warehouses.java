package io.bingsan.service;

import io.bingsan.domain.catalog.StorageLocations;
import io.bingsan.domain.catalog.Warehouse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.exceptions.NoSuchWarehouseException;

/** The warehouses this catalog serves, by name; the first one is the default. */
public final class Warehouses {
  private final Map<String, Warehouse> byName;
  private final Warehouse defaultWarehouse;

  public Warehouses(List<Warehouse> warehouses) {
    if (warehouses.isEmpty()) {
      throw new IllegalArgumentException("At least one warehouse is required");
    }
    Map<String, Warehouse> map = new LinkedHashMap<>();
    for (Warehouse warehouse : warehouses) {
      if (map.put(warehouse.name(), warehouse) != null) {
        throw new IllegalArgumentException("Duplicate warehouse name: " + warehouse.name());
      }
    }
    this.byName = Map.copyOf(map);
    this.defaultWarehouse = warehouses.get(0);
  }

  /** The warehouse behind a URL prefix. */
  public Warehouse require(String name) {
    Warehouse warehouse = byName.get(name);
    if (warehouse == null) {
      throw new NoSuchWarehouseException("Warehouse does not exist: %s", name);
    }
    return warehouse;
  }

  /**
   * The warehouse a client asked for in {@code GET /v1/config?warehouse=}, by name or by root
   * location; the default one when it asked for none.
   */
  public Warehouse select(String requested) {
    if (requested == null || requested.isBlank()) {
      return defaultWarehouse;
    }
    Warehouse named = byName.get(requested);
    if (named != null) {
      return named;
    }
    return byLocation(requested)
        .orElseThrow(() -> new NoSuchWarehouseException("Warehouse does not exist: %s", requested));
  }

  private Optional<Warehouse> byLocation(String requested) {
    try {
      String location = StorageLocations.normalize(requested);
      return byName.values().stream().filter(w -> w.location().equals(location)).findFirst();
    } catch (RuntimeException notALocation) {
      return Optional.empty();
    }
  }
}
