package io.bingsan.adapters.postgres;

import static java.util.Objects.requireNonNull;

import io.bingsan.domain.change.CatalogChange;
import io.bingsan.domain.change.CatalogChange.MetadataSwapped;
import io.bingsan.domain.change.CatalogChange.NamespaceCreated;
import io.bingsan.domain.change.CatalogChange.NamespaceDropped;
import io.bingsan.domain.change.CatalogChange.NamespacePropertiesUpdated;
import io.bingsan.domain.change.CatalogChange.ObjectCreated;
import io.bingsan.domain.change.CatalogChange.ObjectDropped;
import io.bingsan.domain.change.CatalogChange.ObjectRenamed;
import io.bingsan.domain.change.ObjectKind;
import io.bingsan.ports.out.PointerMovedException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NamespaceNotEmptyException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Performs the changes of one transaction and writes one {@code catalog_events} row for each. Any
 * exception it throws rolls the whole transaction back.
 *
 * <p>Locks: creating or renaming into a namespace takes its row {@code FOR KEY SHARE} and a drop
 * takes it {@code FOR UPDATE}, so a drop either sees the new object or the create sees no
 * namespace. Tables and views share names, which no unique index can enforce across two tables;
 * an advisory lock on (namespace, name) serializes the check-then-insert instead.
 */
final class ChangeWriter {
  private static final String KEY_SHARE = "FOR KEY SHARE";
  private static final String FOR_UPDATE = "FOR UPDATE";
  private static final String INSERT_EVENT =
      "INSERT INTO catalog_events (warehouse, event_type, namespace, object_name,"
          + " previous_metadata_location, metadata_location, payload)";

  /**
   * The swap and its event in one statement, a commit's only round trip before COMMIT. Parameters:
   * new location, warehouse, namespace key, name key, expected location, then the event's
   * warehouse, type, previous and new location.
   */
  private static final Map<ObjectKind, String> SWAP =
      CatalogObjects.perKind(
          kind ->
              "WITH swapped AS (UPDATE %s o".formatted(CatalogObjects.table(kind))
                  + " SET metadata_location = ?, updated_at = now() FROM namespaces n"
                  + " WHERE n.id = o.namespace_id AND n.warehouse = ? AND n.name_key = ?"
                  + " AND o.name_key = ? AND o.metadata_location = ?"
                  + " RETURNING n.name AS namespace, o.name) "
                  + INSERT_EVENT
                  + " SELECT ?, ?, namespace, name, ?, ?, NULL::jsonb FROM swapped");

  private final Handle handle;
  private final String warehouse;

  ChangeWriter(Handle handle, String warehouse) {
    this.handle = requireNonNull(handle, "handle is null");
    this.warehouse = requireNonNull(warehouse, "warehouse is null");
  }

  void apply(CatalogChange change) {
    switch (change) {
      case NamespaceCreated created -> createNamespace(created);
      case NamespacePropertiesUpdated updated -> updateProperties(updated);
      case NamespaceDropped dropped -> dropNamespace(dropped);
      case ObjectCreated created -> createObject(created);
      case MetadataSwapped swapped -> swapMetadata(swapped);
      case ObjectDropped dropped -> dropObject(dropped);
      case ObjectRenamed renamed -> renameObject(renamed);
    }
  }

  private void createNamespace(NamespaceCreated change) {
    Namespace namespace = NameKeys.requireStorable(change.namespace());
    List<String> name = Arrays.asList(namespace.levels());
    Map<String, String> properties = Json.sorted(change.properties());
    int created =
        handle
            .createUpdate(
                "INSERT INTO namespaces (warehouse, name, name_key, properties)"
                    + " VALUES (:warehouse, :name, :key, CAST(:properties AS jsonb))"
                    + " ON CONFLICT (warehouse, name_key) DO NOTHING")
            .bind("warehouse", warehouse)
            .bind("name", SqlValues.textArray(name))
            .bind("key", NameKeys.of(namespace))
            .bind("properties", Json.write(properties))
            .execute();
    if (created == 0) {
      throw new AlreadyExistsException("Namespace already exists: %s", namespace);
    }
    record(change, name, null, null, null, Map.of("properties", properties));
  }

  private void updateProperties(NamespacePropertiesUpdated change) {
    Map<String, String> updates = Json.sorted(change.updates());
    List<String> removals = change.removals().stream().sorted().toList();
    List<String> name =
        handle
            .createQuery(
                "UPDATE namespaces"
                    + " SET properties = (properties - CAST(:removals AS text[]))"
                    + " || CAST(:updates AS jsonb), updated_at = now()"
                    + " WHERE warehouse = :warehouse AND name_key = :key RETURNING name")
            .bind("removals", SqlValues.textArray(removals))
            .bind("updates", Json.write(updates))
            .bind("warehouse", warehouse)
            .bind("key", NameKeys.of(change.namespace()))
            .map((row, context) -> SqlValues.textArray(row, "name"))
            .findOne()
            .orElseThrow(() -> noSuchNamespace(change.namespace()));
    record(change, name, null, null, null, Map.of("updates", updates, "removals", removals));
  }

  private void dropNamespace(NamespaceDropped change) {
    Namespace namespace = change.namespace();
    NamespaceRow row =
        namespace(namespace, FOR_UPDATE).orElseThrow(() -> noSuchNamespace(namespace));
    boolean hasChildren =
        handle
            .createQuery(
                "SELECT EXISTS (SELECT 1 FROM namespaces WHERE warehouse = :warehouse"
                    + " AND name_key >= :from AND name_key < :until)")
            .bind("warehouse", warehouse)
            .bind("from", NameKeys.descendantsFrom(namespace))
            .bind("until", NameKeys.after(NameKeys.of(namespace)))
            .mapTo(Boolean.class)
            .one();
    if (hasChildren) {
      throw new NamespaceNotEmptyException(
          "Namespace %s is not empty: it contains namespaces", namespace);
    }
    for (ObjectKind kind : ObjectKind.values()) {
      boolean hasObjects =
          handle
              .createQuery(
                  "SELECT EXISTS (SELECT 1 FROM %s WHERE namespace_id = :namespace)"
                      .formatted(CatalogObjects.table(kind)))
              .bind("namespace", row.id())
              .mapTo(Boolean.class)
              .one();
      if (hasObjects) {
        throw new NamespaceNotEmptyException(
            "Namespace %s is not empty: it contains %ss", namespace, kind.label());
      }
    }
    handle.createUpdate("DELETE FROM namespaces WHERE id = :id").bind("id", row.id()).execute();
    record(change, row.name(), null, null, null, null);
  }

  private void createObject(ObjectCreated change) {
    TableIdentifier identifier = change.identifier();
    NamespaceRow namespace =
        namespace(identifier.namespace(), KEY_SHARE)
            .orElseThrow(() -> noSuchNamespace(identifier.namespace()));
    String key = NameKeys.of(identifier.name());
    lockName(namespace.id(), key);
    occupant(namespace.id(), key)
        .ifPresent(
            existing -> {
              throw existing == change.kind()
                  ? new AlreadyExistsException(
                      "%s already exists: %s", CatalogObjects.title(existing), identifier)
                  : new AlreadyExistsException(
                      "%s with same name already exists: %s",
                      CatalogObjects.title(existing),
                      identifier);
            });
    handle
        .createUpdate(
            "INSERT INTO %s (namespace_id, name, name_key, uuid, metadata_location)"
                    .formatted(CatalogObjects.table(change.kind()))
                + " VALUES (:namespace, :name, :key, :uuid, :location)")
        .bind("namespace", namespace.id())
        .bind("name", identifier.name())
        .bind("key", key)
        .bind("uuid", UUID.fromString(change.uuid()))
        .bind("location", change.metadataLocation())
        .execute();
    record(
        change,
        namespace.name(),
        identifier.name(),
        null,
        change.metadataLocation(),
        Map.of("uuid", change.uuid()));
  }

  private void swapMetadata(MetadataSwapped change) {
    TableIdentifier identifier = change.identifier();
    int swapped =
        Database.update(
            handle,
            SWAP.get(change.kind()),
            statement -> {
              statement.setString(1, change.metadataLocation());
              statement.setString(2, warehouse);
              statement.setString(3, NameKeys.of(identifier.namespace()));
              statement.setString(4, NameKeys.of(identifier.name()));
              statement.setString(5, change.expectedMetadataLocation());
              statement.setString(6, warehouse);
              statement.setString(7, change.eventType());
              statement.setString(8, change.expectedMetadataLocation());
              statement.setString(9, change.metadataLocation());
            });
    if (swapped == 0) {
      throw lostSwap(change.kind(), identifier);
    }
  }

  private void dropObject(ObjectDropped change) {
    StoredName dropped =
        bindObject(
                handle.createQuery(
                    "DELETE FROM %s o USING namespaces n"
                            .formatted(CatalogObjects.table(change.kind()))
                        + " WHERE n.id = o.namespace_id AND n.warehouse = :warehouse"
                        + " AND n.name_key = :namespace AND o.name_key = :name"
                        + " AND o.metadata_location = :expected"
                        + " RETURNING n.name AS namespace, o.name"),
                change.identifier())
            .bind("expected", change.expectedMetadataLocation())
            .map(StoredName::map)
            .findOne()
            .orElseThrow(() -> lostSwap(change.kind(), change.identifier()));
    record(
        change,
        dropped.namespace(),
        dropped.name(),
        change.expectedMetadataLocation(),
        null,
        null);
  }

  private void renameObject(ObjectRenamed change) {
    TableIdentifier from = change.from();
    TableIdentifier to = change.to();
    RenamedRow source =
        bindObject(
                handle.createQuery(
                    "SELECT o.id, o.name, o.name_key, o.metadata_location,"
                        + " n.id AS namespace_id, n.name AS namespace"
                        + CatalogObjects.identified(change.kind())
                        + " FOR UPDATE OF o"),
                from)
            .map(
                (row, context) ->
                    new RenamedRow(
                        row.getLong("id"),
                        row.getLong("namespace_id"),
                        StoredName.map(row, context),
                        row.getString("name_key"),
                        row.getString("metadata_location")))
            .findOne()
            .orElseThrow(() -> CatalogObjects.noSuchObject(change.kind(), from));
    NamespaceRow target =
        namespace(to.namespace(), KEY_SHARE).orElseThrow(() -> noSuchNamespace(to.namespace()));
    String key = NameKeys.of(to.name());
    // Names are unique across kinds, so only the source itself can hold its own name.
    if (target.id() != source.namespaceId() || !key.equals(source.nameKey())) {
      lockName(target.id(), key);
      occupant(target.id(), key)
          .ifPresent(
              existing -> {
                throw new AlreadyExistsException(
                    "Cannot rename %s to %s. %s already exists",
                    from,
                    to,
                    CatalogObjects.title(existing));
              });
    }
    handle
        .createUpdate(
            "UPDATE %s SET namespace_id = :namespace, name = :name, name_key = :key,"
                    .formatted(CatalogObjects.table(change.kind()))
                + " updated_at = now() WHERE id = :id")
        .bind("namespace", target.id())
        .bind("name", to.name())
        .bind("key", key)
        .bind("id", source.id())
        .execute();
    record(
        change,
        source.stored().namespace(),
        source.stored().name(),
        null,
        source.metadataLocation(),
        Map.of("to-namespace", target.name(), "to-name", to.name()));
  }

  private Optional<NamespaceRow> namespace(Namespace namespace, String lock) {
    return handle
        .createQuery(
            "SELECT id, name FROM namespaces WHERE warehouse = :warehouse AND name_key = :key "
                + lock)
        .bind("warehouse", warehouse)
        .bind("key", NameKeys.of(namespace))
        .map(
            (row, context) ->
                new NamespaceRow(row.getLong("id"), SqlValues.textArray(row, "name")))
        .findOne();
  }

  /** Held until the transaction ends; a hash collision only serializes two unrelated names. */
  private void lockName(long namespaceId, String nameKey) {
    handle
        .createQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(:namespace, :name)) AS locked")
        .bind("namespace", Long.hashCode(namespaceId))
        .bind("name", nameKey.hashCode())
        .mapTo(Integer.class)
        .one();
  }

  /** The kind of object that holds a name in a namespace, if any. */
  private Optional<ObjectKind> occupant(long namespaceId, String nameKey) {
    return handle
        .createQuery(
            "SELECT 'TABLE' FROM tables WHERE namespace_id = :namespace AND name_key = :name"
                + " UNION ALL"
                + " SELECT 'VIEW' FROM views WHERE namespace_id = :namespace AND name_key = :name"
                + " LIMIT 1")
        .bind("namespace", namespaceId)
        .bind("name", nameKey)
        .mapTo(String.class)
        .findOne()
        .map(ObjectKind::valueOf);
  }

  /** Why a compare-and-swap matched no row: the object is gone, or its pointer moved. */
  private RuntimeException lostSwap(ObjectKind kind, TableIdentifier identifier) {
    boolean exists =
        bindObject(
                handle.createQuery("SELECT 1" + CatalogObjects.identified(kind)),
                identifier)
            .mapTo(Integer.class)
            .findOne()
            .isPresent();
    return exists
        ? new PointerMovedException(identifier)
        : CatalogObjects.noSuchObject(kind, identifier);
  }

  private <S extends SqlStatement<S>> S bindObject(S statement, TableIdentifier identifier) {
    return CatalogObjects.bindIdentifier(statement, warehouse, identifier);
  }

  private void record(
      CatalogChange change,
      List<String> namespace,
      String objectName,
      String previousMetadataLocation,
      String metadataLocation,
      Map<String, ?> payload) {
    handle
        .createUpdate(
            INSERT_EVENT
                + " VALUES (:warehouse, :type, :namespace, :object, :previous, :location,"
                + " CAST(:payload AS jsonb))")
        .bind("warehouse", warehouse)
        .bind("type", change.eventType())
        .bind("namespace", SqlValues.textArray(namespace))
        .bind("object", objectName)
        .bind("previous", previousMetadataLocation)
        .bind("location", metadataLocation)
        .bind("payload", payload == null ? null : Json.write(payload))
        .execute();
  }

  private static NoSuchNamespaceException noSuchNamespace(Namespace namespace) {
    return new NoSuchNamespaceException("Namespace does not exist: %s", namespace);
  }

  private record NamespaceRow(long id, List<String> name) {}

  /** An object's names as stored, in their original case. */
  private record StoredName(List<String> namespace, String name) {
    static StoredName map(ResultSet row, StatementContext context) throws SQLException {
      return new StoredName(SqlValues.textArray(row, "namespace"), row.getString("name"));
    }
  }

  private record RenamedRow(
      long id, long namespaceId, StoredName stored, String nameKey, String metadataLocation) {}
}
