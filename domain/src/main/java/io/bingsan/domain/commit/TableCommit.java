package io.bingsan.domain.commit;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.apache.iceberg.MetadataUpdate;
import org.apache.iceberg.UpdateRequirement;
import org.apache.iceberg.catalog.TableIdentifier;

/** One table's part of a commit: what must hold, and what to change. */
public record TableCommit(
    TableIdentifier identifier,
    List<UpdateRequirement> requirements,
    List<MetadataUpdate> updates) {
  public TableCommit {
    requireNonNull(identifier, "identifier is null");
    requirements = List.copyOf(requirements);
    updates = List.copyOf(updates);
  }
}
