package io.bingsan.domain.commit;

import java.util.List;
import org.apache.iceberg.MetadataUpdate;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.UpdateRequirement;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.RetryableValidationException;

/**
 * Iceberg's table commit rules: requirements are checked against the current metadata, then the
 * updates are applied to a builder. Requirement failures are conflicts (409); malformed updates are
 * bad requests (400), as iceberg-core's own handlers decide.
 */
public final class TableCommitRules {
  private TableCommitRules() {}

  /**
   * True for a commit that creates the table ({@code assert-create}); such a commit may carry no
   * other requirement.
   */
  public static boolean isCreate(List<UpdateRequirement> requirements) {
    boolean create =
        requirements.stream().anyMatch(UpdateRequirement.AssertTableDoesNotExist.class::isInstance);
    if (create
        && !requirements.stream()
            .allMatch(UpdateRequirement.AssertTableDoesNotExist.class::isInstance)) {
      throw new BadRequestException(
          "A create commit (assert-create) cannot carry other requirements: %s", requirements);
    }
    return create;
  }

  /** The metadata of a table created by a staged-create commit. */
  public static TableMetadata create(List<MetadataUpdate> updates) {
    TableMetadata.Builder builder =
        updates.stream()
            .filter(MetadataUpdate.UpgradeFormatVersion.class::isInstance)
            .map(update -> ((MetadataUpdate.UpgradeFormatVersion) update).formatVersion())
            .findFirst()
            .map(TableMetadata::buildFromEmpty)
            .orElseGet(TableMetadata::buildFromEmpty);
    return applyAll(builder, updates);
  }

  /**
   * Checks every requirement against {@code base} and applies the updates. The result's {@code
   * changes()} is empty when the commit changes nothing.
   *
   * @throws CommitFailedException when a requirement does not hold, or an update carries stale
   *     values; both mean the client must refresh and retry
   */
  public static TableMetadata apply(
      TableMetadata base, List<UpdateRequirement> requirements, List<MetadataUpdate> updates) {
    requirements.forEach(requirement -> requirement.validate(base));
    requireUnchangedUuid(base, updates);
    return applyAll(TableMetadata.buildFrom(base), updates);
  }

  /**
   * The spec allows {@code assign-uuid} only when creating a table; on an existing one it may only
   * repeat the UUID (as replace transactions do). Iceberg's view builder refuses the same.
   */
  private static void requireUnchangedUuid(TableMetadata base, List<MetadataUpdate> updates) {
    for (MetadataUpdate update : updates) {
      if (update instanceof MetadataUpdate.AssignUUID assign
          && !base.uuid().equals(assign.uuid())) {
        throw new BadRequestException(
            "Cannot reassign the UUID of existing table %s to %s", base.uuid(), assign.uuid());
      }
    }
  }

  private static TableMetadata applyAll(
      TableMetadata.Builder builder, List<MetadataUpdate> updates) {
    try {
      return MetadataValidation.requireValid(
          () -> {
            updates.forEach(update -> update.applyTo(builder));
            return builder.build();
          });
    } catch (RetryableValidationException e) {
      throw new CommitFailedException(e, "Validation failed, please retry: %s", e.getMessage());
    }
  }
}
