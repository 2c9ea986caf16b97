package io.bingsan.domain.commit;

import java.util.function.Supplier;
import org.apache.iceberg.exceptions.BadRequestException;

/**
 * iceberg-core's metadata builders reject metadata the spec forbids with {@link
 * IllegalStateException} (their {@code checkState}): a v3-only type such as {@code unknown} in a v2
 * schema, a view replace that drops a dialect. Built from a request, such metadata is the client's
 * error, a 400 carrying iceberg-core's reason; left unmapped it would be a 500 that hides the
 * reason and that commit clients must treat as an unknown outcome.
 */
public final class MetadataValidation {
  private MetadataValidation() {}

  /** The metadata {@code build} returns; a spec violation becomes a {@link BadRequestException}. */
  public static <T> T requireValid(Supplier<T> build) {
    try {
      return build.get();
    } catch (IllegalStateException e) {
      throw new BadRequestException(e, "%s", e.getMessage());
    }
  }
}
