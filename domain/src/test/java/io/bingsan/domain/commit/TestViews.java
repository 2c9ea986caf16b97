package io.bingsan.domain.commit;

import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;

import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.view.ImmutableSQLViewRepresentation;
import org.apache.iceberg.view.ImmutableViewVersion;
import org.apache.iceberg.view.ViewMetadata;
import org.apache.iceberg.view.ViewMetadataParser;
import org.apache.iceberg.view.ViewVersion;

/** A view with two versions (current: the second), as a catalog holds it: parsed from its file. */
final class TestViews {
  static final String LOCATION = "file:/warehouse/ns/v";
  static final Schema SCHEMA =
      new Schema(
          required(1, "id", Types.LongType.get()), optional(2, "data", Types.StringType.get()));

  private TestViews() {}

  static ViewMetadata base() {
    ViewMetadata first =
        ViewMetadata.builder()
            .assignUUID(UUID.randomUUID().toString())
            .setLocation(LOCATION)
            .setProperties(Map.of("owner", "alice"))
            .setCurrentVersion(version(1, 0, "select id, data from t"), SCHEMA)
            .build();
    ViewMetadata second =
        ViewMetadata.buildFrom(first)
            .setCurrentVersion(version(2, 0, "select id, data from t where id > 0"), SCHEMA)
            .build();
    return ViewMetadataParser.fromJson(
        LOCATION + "/metadata/00001-" + UUID.randomUUID() + ".gz.metadata.json",
        ViewMetadataParser.toJson(second));
  }

  static ViewVersion version(int id, int schemaId, String sql) {
    return ImmutableViewVersion.builder()
        .versionId(id)
        .schemaId(schemaId)
        .timestampMillis(TestTables.T0 + id)
        .putSummary("engine-name", "spark")
        .defaultNamespace(Namespace.of("ns"))
        .addRepresentations(
            ImmutableSQLViewRepresentation.builder().sql(sql).dialect("spark").build())
        .build();
  }
}
