package io.bingsan.domain.catalog;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.exceptions.BadRequestException;

/**
 * A named catalog with its own namespaces, tables and views; clients reach it through the URL
 * prefix that {@code GET /v1/config} hands out.
 *
 * @param name the warehouse name, also its URL prefix
 * @param location the root under which default table and view locations are derived
 * @param allowedLocations the roots a table or view location may lie under
 */
public record Warehouse(String name, String location, List<String> allowedLocations) {
  private static final String NAMESPACE_LOCATION_PROPERTY = "location";

  public Warehouse {
    requireNonNull(name, "name is null");
    if (name.isBlank() || name.contains("/")) {
      throw new IllegalArgumentException("Warehouse name must be a non-empty path segment: " + name);
    }
    location = StorageLocations.normalize(requireNonNull(location, "location is null"));
    allowedLocations =
        (allowedLocations == null || allowedLocations.isEmpty())
            ? List.of(location)
            : allowedLocations.stream().map(StorageLocations::normalize).toList();
  }

  /**
   * The location for a new table or view: below the namespace's {@code location} property when it
   * has one, else below the warehouse root, one folder per namespace level.
   */
  public String defaultLocation(
      Namespace namespace, Map<String, String> namespaceProperties, String objectName) {
    return namespaceLocation(namespace, namespaceProperties) + "/" + objectName;
  }

  /**
   * The folder a namespace's tables and views go to by default: its {@code location} property
   * when it has one, else one folder per namespace level below the warehouse root.
   */
  public String namespaceLocation(Namespace namespace, Map<String, String> namespaceProperties) {
    String namespaceLocation = namespaceProperties.get(NAMESPACE_LOCATION_PROPERTY);
    if (namespaceLocation != null && !namespaceLocation.isBlank()) {
      return StorageLocations.normalize(namespaceLocation);
    }
    return location + "/" + String.join("/", namespace.levels());
  }

  /** Rejects locations outside every allowed root, or with relative segments. */
  public String requireAllowed(String candidate) {
    String normalized = StorageLocations.normalize(candidate);
    for (String root : allowedLocations) {
      if (StorageLocations.isUnder(normalized, root)) {
        return normalized;
      }
    }
    throw new BadRequestException(
        "Location %s is not under an allowed location of warehouse %s", candidate, name);
  }
}
