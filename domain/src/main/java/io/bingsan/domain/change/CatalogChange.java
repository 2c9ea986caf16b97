package io.bingsan.domain.change;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * One change to a warehouse's catalog. A change is also its own event: the store writes the change
 * and its event row in one transaction, so no change goes unannounced and no event announces a
 * change that did not happen.
 */
public sealed interface CatalogChange {

  /** The stable name of this change in the event stream. */
  String eventType();

  /** The namespace the change happened in. */
  Namespace namespace();

  /** The tables whose pointer, or whether a name holds one, this change alters. */
  default List<TableIdentifier> tables() {
    return switch (this) {
      case ObjectCreated created when created.kind() == ObjectKind.TABLE ->
          List.of(created.identifier());
      case MetadataSwapped swapped when swapped.kind() == ObjectKind.TABLE ->
          List.of(swapped.identifier());
      case ObjectDropped dropped when dropped.kind() == ObjectKind.TABLE ->
          List.of(dropped.identifier());
      case ObjectRenamed renamed when renamed.kind() == ObjectKind.TABLE ->
          List.of(renamed.from(), renamed.to());
      default -> List.of();
    };
  }

  record NamespaceCreated(Namespace namespace, Map<String, String> properties)
      implements CatalogChange {
    public NamespaceCreated {
      requireNonNull(namespace, "namespace is null");
      properties = Map.copyOf(properties);
    }

    @Override
    public String eventType() {
      return "namespace-created";
    }
  }

  record NamespacePropertiesUpdated(
      Namespace namespace, Map<String, String> updates, Set<String> removals)
      implements CatalogChange {
    public NamespacePropertiesUpdated {
      requireNonNull(namespace, "namespace is null");
      updates = Map.copyOf(updates);
      removals = Set.copyOf(removals);
    }

    @Override
    public String eventType() {
      return "namespace-properties-updated";
    }
  }

  record NamespaceDropped(Namespace namespace) implements CatalogChange {
    public NamespaceDropped {
      requireNonNull(namespace, "namespace is null");
    }

    @Override
    public String eventType() {
      return "namespace-dropped";
    }
  }

  /** A table or view (the kind) entering the catalog, by create or register. */
  record ObjectCreated(
      ObjectKind kind,
      TableIdentifier identifier,
      String uuid,
      String metadataLocation,
      boolean registered)
      implements CatalogChange {
    public ObjectCreated {
      requireNonNull(kind, "kind is null");
      requireNonNull(identifier, "identifier is null");
      requireNonNull(uuid, "uuid is null");
      requireNonNull(metadataLocation, "metadataLocation is null");
    }

    @Override
    public Namespace namespace() {
      return identifier.namespace();
    }

    @Override
    public String eventType() {
      return kind.label() + (registered ? "-registered" : "-created");
    }
  }

  /**
   * A new metadata version: applies only while the current pointer is still {@code
   * expectedMetadataLocation} (compare-and-swap).
   */
  record MetadataSwapped(
      ObjectKind kind,
      TableIdentifier identifier,
      String expectedMetadataLocation,
      String metadataLocation)
      implements CatalogChange {
    public MetadataSwapped {
      requireNonNull(kind, "kind is null");
      requireNonNull(identifier, "identifier is null");
      requireNonNull(expectedMetadataLocation, "expectedMetadataLocation is null");
      requireNonNull(metadataLocation, "metadataLocation is null");
    }

    @Override
    public Namespace namespace() {
      return identifier.namespace();
    }

    @Override
    public String eventType() {
      return kind.label() + "-committed";
    }
  }

  /** Removal, only while the pointer is still {@code expectedMetadataLocation}. */
  record ObjectDropped(ObjectKind kind, TableIdentifier identifier, String expectedMetadataLocation)
      implements CatalogChange {
    public ObjectDropped {
      requireNonNull(kind, "kind is null");
      requireNonNull(identifier, "identifier is null");
      requireNonNull(expectedMetadataLocation, "expectedMetadataLocation is null");
    }

    @Override
    public Namespace namespace() {
      return identifier.namespace();
    }

    @Override
    public String eventType() {
      return kind.label() + "-dropped";
    }
  }

  record ObjectRenamed(ObjectKind kind, TableIdentifier from, TableIdentifier to)
      implements CatalogChange {
    public ObjectRenamed {
      requireNonNull(kind, "kind is null");
      requireNonNull(from, "from is null");
      requireNonNull(to, "to is null");
    }

    @Override
    public Namespace namespace() {
      return from.namespace();
    }

    @Override
    public String eventType() {
      return kind.label() + "-renamed";
    }
  }
}
