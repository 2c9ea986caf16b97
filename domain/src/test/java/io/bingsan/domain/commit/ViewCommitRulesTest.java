package io.bingsan.domain.commit;

import static io.bingsan.domain.commit.TestTables.wire;
import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.iceberg.MetadataUpdate;
import org.apache.iceberg.Schema;
import org.apache.iceberg.UpdateRequirement;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.view.ImmutableSQLViewRepresentation;
import org.apache.iceberg.view.ImmutableViewVersion;
import org.apache.iceberg.view.SQLViewRepresentation;
import org.apache.iceberg.view.ViewMetadata;
import org.apache.iceberg.view.ViewMetadataParser;
import org.apache.iceberg.view.ViewVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * View commits: assert-view-uuid, and every update a view accepts, checked against Iceberg's
 * handlers.
 */
class ViewCommitRulesTest {
  private static final String NEW_SQL = "select id from t where data is not null";

  private record Case(
      String name,
      Function<ViewMetadata, List<MetadataUpdate>> updates,
      BiConsumer<ViewMetadata, ViewMetadata> check) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "add-view-version, set-current-view-version -1 (a replace)",
            m ->
                List.of(
                    new MetadataUpdate.AddViewVersion(TestViews.version(3, 0, NEW_SQL)),
                    new MetadataUpdate.SetCurrentViewVersion(-1)),
            (base, r) -> {
              assertThat(r.versions()).hasSize(base.versions().size() + 1);
              assertThat(sql(r.currentVersion())).isEqualTo(NEW_SQL);
            }),
        new Case(
            "add-view-version alone",
            m -> List.of(new MetadataUpdate.AddViewVersion(TestViews.version(3, 0, NEW_SQL))),
            (base, r) -> {
              assertThat(r.versions()).hasSize(base.versions().size() + 1);
              assertThat(r.currentVersionId()).isEqualTo(base.currentVersionId());
            }),
        new Case(
            "add-schema, add-view-version on it, set-current-view-version -1",
            m ->
                List.of(
                    new MetadataUpdate.AddSchema(withExtraColumn(m.schema())),
                    new MetadataUpdate.AddViewVersion(TestViews.version(3, -1, NEW_SQL)),
                    new MetadataUpdate.SetCurrentViewVersion(-1)),
            (base, r) -> {
              assertThat(r.schemas()).hasSize(base.schemas().size() + 1);
              assertThat(r.schema().findField("extra")).isNotNull();
              assertThat(r.currentVersion().schemaId())
                  .isNotEqualTo(base.currentVersion().schemaId());
            }),
        new Case(
            "set-current-view-version to an older version",
            m -> List.of(new MetadataUpdate.SetCurrentViewVersion(olderVersion(m))),
            (base, r) -> {
              assertThat(r.currentVersionId()).isEqualTo(olderVersion(base));
              assertThat(r.history()).hasSize(base.history().size() + 1);
            }),
        new Case(
            "set-properties",
            m ->
                List.of(new MetadataUpdate.SetProperties(Map.of("comment", "hot", "owner", "bob"))),
            (base, r) ->
                assertThat(r.properties())
                    .containsEntry("comment", "hot")
                    .containsEntry("owner", "bob")),
        new Case(
            "remove-properties",
            m -> List.of(new MetadataUpdate.RemoveProperties(Set.of("owner"))),
            (base, r) -> {
              assertThat(base.properties()).containsKey("owner");
              assertThat(r.properties()).doesNotContainKey("owner");
            }),
        new Case(
            "set-location",
            m -> List.of(new MetadataUpdate.SetLocation("s3://bucket/views/v")),
            (base, r) -> assertThat(r.location()).isEqualTo("s3://bucket/views/v")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void updateIsApplied(Case c) {
    ViewMetadata base = TestViews.base();

    ViewMetadata result =
        ViewCommitRules.apply(
            base,
            List.of(wire(new UpdateRequirement.AssertViewUUID(base.uuid()))),
            c.updates().apply(base).stream().map(TestTables::wire).toList());

    assertThat(result.changes()).isNotEmpty();
    c.check().accept(base, result);
    c.check().accept(base, ViewMetadataParser.fromJson(ViewMetadataParser.toJson(result)));
    assertThat(result.uuid()).isEqualTo(base.uuid());
  }

  /** Golden: iceberg-core's CatalogHandlers.updateView yields the same view. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void agreesWithIcebergHandlers(Case c) {
    IcebergReference reference = new IcebergReference();
    IcebergReference.RegisteredView view = reference.registerView(TestViews.base());
    List<UpdateRequirement> requirements =
        List.of(new UpdateRequirement.AssertViewUUID(view.base().uuid()));
    List<MetadataUpdate> updates = c.updates().apply(view.base());

    ViewMetadata ours = ViewCommitRules.apply(view.base(), requirements, updates);
    ViewMetadata theirs = reference.commitView(view.identifier(), requirements, updates);

    assertThat(IcebergReference.comparable(ours)).isEqualTo(IcebergReference.comparable(theirs));
  }

  static Stream<Arguments> uuids() {
    return Stream.of(
        Arguments.of("same UUID", (Function<String, String>) uuid -> uuid, true),
        Arguments.of(
            "same UUID in upper case",
            (Function<String, String>) uuid -> uuid.toUpperCase(Locale.ROOT),
            true),
        Arguments.of(
            "another view's UUID",
            (Function<String, String>) uuid -> UUID.randomUUID().toString(),
            false));
  }

  @ParameterizedTest(name = "assert-view-uuid, {0}")
  @MethodSource("uuids")
  void assertViewUuid(String name, Function<String, String> asserted, boolean holds) {
    ViewMetadata base = TestViews.base();
    List<UpdateRequirement> requirements =
        List.of(wire(new UpdateRequirement.AssertViewUUID(asserted.apply(base.uuid()))));
    List<MetadataUpdate> updates = List.of(new MetadataUpdate.SetProperties(Map.of("k", "v")));

    if (holds) {
      assertThat(ViewCommitRules.apply(base, requirements, updates).properties())
          .containsEntry("k", "v");
    } else {
      assertThatThrownBy(() -> ViewCommitRules.apply(base, requirements, updates))
          .isInstanceOf(CommitFailedException.class);
    }
  }

  @Test
  void tableRequirementInAViewCommitIsABadRequestNotAConflict() {
    ViewMetadata base = TestViews.base();

    assertThatThrownBy(
            () ->
                ViewCommitRules.apply(
                    base,
                    List.of(new UpdateRequirement.AssertTableUUID(base.uuid())),
                    List.of(new MetadataUpdate.SetProperties(Map.of("k", "v")))))
        .isInstanceOf(ValidationException.class)
        .isNotInstanceOf(CommitFailedException.class);
  }

  @Test
  void viewKeepsItsUuid() {
    ViewMetadata base = TestViews.base();

    assertThatThrownBy(
            () ->
                ViewCommitRules.apply(
                    base,
                    List.of(),
                    List.of(new MetadataUpdate.AssignUUID(UUID.randomUUID().toString()))))
        .isNotInstanceOf(CommitFailedException.class)
        .hasMessageContaining("uuid");
  }

  /** Replacing a view so that a dialect is lost (a Trino view over a Spark one) is the client's error. */
  @Test
  void replaceThatDropsADialectIsABadRequest() {
    ViewMetadata base = TestViews.base();
    ViewVersion trinoOnly =
        ImmutableViewVersion.builder()
            .from(TestViews.version(3, 0, "select id, data from t"))
            .representations(
                List.of(
                    ImmutableSQLViewRepresentation.builder()
                        .sql("select id, data from t")
                        .dialect("trino")
                        .build()))
            .build();

    assertThatThrownBy(
            () ->
                ViewCommitRules.apply(
                    base,
                    List.of(),
                    List.of(
                        new MetadataUpdate.AddViewVersion(trinoOnly),
                        new MetadataUpdate.SetCurrentViewVersion(-1))))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("loss of view dialects");
  }

  static Stream<Arguments> noOps() {
    return Stream.of(
        Arguments.of("no updates", (Function<ViewMetadata, List<MetadataUpdate>>) m -> List.of()),
        Arguments.of(
            "set-location, same location",
            (Function<ViewMetadata, List<MetadataUpdate>>)
                m -> List.of(new MetadataUpdate.SetLocation(m.location()))),
        Arguments.of(
            "set-current-view-version, already current",
            (Function<ViewMetadata, List<MetadataUpdate>>)
                m -> List.of(new MetadataUpdate.SetCurrentViewVersion(m.currentVersionId()))),
        Arguments.of(
            "set-properties, empty",
            (Function<ViewMetadata, List<MetadataUpdate>>)
                m -> List.of(new MetadataUpdate.SetProperties(Map.of()))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("noOps")
  void commitThatChangesNothingHasNoChanges(
      String name, Function<ViewMetadata, List<MetadataUpdate>> updates) {
    ViewMetadata base = TestViews.base();

    ViewMetadata result = ViewCommitRules.apply(base, List.of(), updates.apply(base));

    assertThat(result.changes()).isEmpty();
    assertThat(result.currentVersionId()).isEqualTo(base.currentVersionId());
  }

  private static String sql(ViewVersion version) {
    return ((SQLViewRepresentation) version.representations().get(0)).sql();
  }

  private static int olderVersion(ViewMetadata m) {
    return m.versions().stream()
        .mapToInt(ViewVersion::versionId)
        .filter(id -> id != m.currentVersionId())
        .findFirst()
        .orElseThrow();
  }

  private static Schema withExtraColumn(Schema schema) {
    return TypeUtil.join(
        schema,
        new Schema(optional(schema.highestFieldId() + 1, "extra", Types.IntegerType.get())));
  }
}
