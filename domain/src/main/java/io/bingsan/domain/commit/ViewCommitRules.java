package io.bingsan.domain.commit;

import java.util.List;
import org.apache.iceberg.MetadataUpdate;
import org.apache.iceberg.UpdateRequirement;
import org.apache.iceberg.view.ViewMetadata;

/** Iceberg's view commit rules: requirements checked, then updates applied to a builder. */
public final class ViewCommitRules {
  private ViewCommitRules() {}

  /**
   * @throws org.apache.iceberg.exceptions.CommitFailedException when a requirement does not hold
   * @throws org.apache.iceberg.exceptions.BadRequestException when the result breaks the spec
   */
  public static ViewMetadata apply(
      ViewMetadata base, List<UpdateRequirement> requirements, List<MetadataUpdate> updates) {
    requirements.forEach(requirement -> requirement.validate(base));
    ViewMetadata.Builder builder = ViewMetadata.buildFrom(base);
    return MetadataValidation.requireValid(
        () -> {
          updates.forEach(update -> update.applyTo(builder));
          return builder.build();
        });
  }
}
