package io.bingsan.service;

import static io.bingsan.service.fakes.TestCatalog.NOW;
import static io.bingsan.service.fakes.TestCatalog.OTHER_WAREHOUSE;
import static io.bingsan.service.fakes.TestCatalog.ROOT;
import static io.bingsan.service.fakes.TestCatalog.SCHEMA;
import static io.bingsan.service.fakes.TestCatalog.WAREHOUSE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bingsan.domain.change.CatalogChange;
import io.bingsan.ports.out.Page;
import io.bingsan.ports.out.PageRequest;
import io.bingsan.service.fakes.TestCatalog;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NoSuchWarehouseException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.rest.requests.CreateTableRequest;
import org.apache.iceberg.rest.requests.ImmutableRegisterTableRequest;
import org.apache.iceberg.rest.requests.RegisterTableRequest;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TableServiceTest {
  private TestCatalog catalog;
  private TableService tables;
  private Namespace ns;
  private TableIdentifier id;

  @BeforeEach
  void setUp() {
    catalog = new TestCatalog();
    tables = catalog.services.tables();
    ns = catalog.namespace("ns");
    id = TableIdentifier.of(ns, "t");
  }

  // ---- create

  @Test
  void createWritesVersionZeroAndPublishesIt() {
    TableMetadata created = tables.create(WAREHOUSE, ns, request("t").build());

    assertThat(created.location()).isEqualTo(ROOT + "/ns/t");
    assertThat(created.metadataFileLocation())
        .startsWith(ROOT + "/ns/t/metadata/00000-")
        .endsWith(".metadata.json");
    assertThat(catalog.files.existing()).containsExactly(created.metadataFileLocation());
    assertThat(catalog.store.events(WAREHOUSE))
        .last()
        .isInstanceOfSatisfying(
            CatalogChange.ObjectCreated.class,
            event -> {
              assertThat(event.registered()).isFalse();
              assertThat(event.uuid()).isEqualTo(created.uuid());
              assertThat(event.metadataLocation()).isEqualTo(created.metadataFileLocation());
            });
    TableMetadata loaded = catalog.load(id);
    assertThat(loaded.uuid()).isEqualTo(created.uuid());
    assertThat(loaded.metadataFileLocation()).isEqualTo(created.metadataFileLocation());
    assertThat(loaded.schema().sameSchema(created.schema())).isTrue();
  }

  @Test
  void createdAtComesFromTheCatalogClock() {
    TableMetadata created = tables.create(WAREHOUSE, ns, request("t").build());

    assertThat(OffsetDateTime.parse(created.properties().get("created-at")).toInstant())
        .isEqualTo(NOW);
  }

  @Test
  void requestSettingsAreKept() {
    TableMetadata created =
        tables.create(
            WAREHOUSE,
            ns,
            request("t")
                .withPartitionSpec(PartitionSpec.builderFor(SCHEMA).identity("data").build())
                .withLocation(TestCatalog.SHARED_ROOT + "/custom/")
                .setProperties(new HashMap<>(Map.of("owner", "alice", "format-version", "3")))
                .build());

    assertThat(created.location()).isEqualTo(TestCatalog.SHARED_ROOT + "/custom");
    assertThat(created.properties()).containsEntry("owner", "alice");
    assertThat(created.formatVersion()).isEqualTo(3);
    assertThat(created.spec().isPartitioned()).isTrue();
  }

  @Test
  void namespaceLocationIsTheParentOfItsTables() {
    Namespace placed = Namespace.of("placed");
    catalog
        .services
        .namespaces()
        .create(WAREHOUSE, placed, Map.of("location", "/warehouse/elsewhere/placed/"));

    TableMetadata created = tables.create(WAREHOUSE, placed, request("t").build());

    assertThat(created.location()).isEqualTo(ROOT + "/elsewhere/placed/t");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/etc/t", "file:/warehouse2/t", "/warehouse/../t", "s3://elsewhere/t"})
  void locationOutsideTheWarehouseIsABadRequestAndWritesNothing(String location) {
    assertThatThrownBy(
            () -> tables.create(WAREHOUSE, ns, request("t").withLocation(location).build()))
        .isInstanceOf(BadRequestException.class);
    assertThat(catalog.files.written()).isEmpty();
  }

  /** Spark's CTAS of a NULL column sends an {@code unknown} column, which v2 cannot hold. */
  @Test
  void schemaTheFormatCannotHoldIsABadRequestAndWritesNothing() {
    Schema unknownColumn = new Schema(Types.NestedField.optional(1, "x", Types.UnknownType.get()));
    CreateTableRequest request =
        CreateTableRequest.builder().withName("t").withSchema(unknownColumn).setProperty("format-version", "2").build();

    assertThatThrownBy(() -> tables.create(WAREHOUSE, ns, request))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("unknown is not supported until v3");
    assertThatThrownBy(() -> tables.stageCreate(WAREHOUSE, ns, request))
        .isInstanceOf(BadRequestException.class);
    assertThat(catalog.files.existing()).isEmpty();
  }

  @Test
  void existingTableNameIsAlreadyExistsAndLeavesNoFile() {
    catalog.createTable(id);

    assertThatThrownBy(() -> tables.create(WAREHOUSE, ns, request("T").build()))
        .isInstanceOf(AlreadyExistsException.class);
    assertThat(catalog.files.existing()).containsExactly(catalog.load(id).metadataFileLocation());
  }

  @Test
  void missingNamespaceOrWarehouse() {
    assertThatThrownBy(
            () -> tables.create(WAREHOUSE, Namespace.of("missing"), request("t").build()))
        .isInstanceOf(NoSuchNamespaceException.class);
    assertThatThrownBy(() -> tables.create("nowhere", ns, request("t").build()))
        .isInstanceOf(NoSuchWarehouseException.class);
    assertThat(catalog.files.written()).isEmpty();
  }

  @Test
  void invalidNameIsABadRequest() {
    assertThatThrownBy(() -> tables.create(WAREHOUSE, ns, request("bad\u0007name").build()))
        .isInstanceOf(BadRequestException.class);
  }

  @Test
  void warehousesAreSeparateCatalogs() {
    catalog.createTable(id);
    catalog.services.namespaces().create(OTHER_WAREHOUSE, ns, Map.of());

    assertThatThrownBy(() -> tables.load(OTHER_WAREHOUSE, id))
        .isInstanceOf(NoSuchTableException.class);
    TableMetadata other = tables.create(OTHER_WAREHOUSE, ns, request("t").build());
    assertThat(other.location()).isEqualTo("s3://other/warehouse/ns/t");
  }

  // ---- stage create

  @Test
  void stageCreateWritesNothing() {
    TableMetadata staged = tables.stageCreate(WAREHOUSE, ns, request("t").build());

    assertThat(staged.location()).isEqualTo(ROOT + "/ns/t");
    assertThat(staged.metadataFileLocation()).isNull();
    assertThat(OffsetDateTime.parse(staged.properties().get("created-at")).toInstant())
        .isEqualTo(NOW);
    assertThat(catalog.files.written()).isEmpty();
    assertThatThrownBy(() -> tables.load(WAREHOUSE, id)).isInstanceOf(NoSuchTableException.class);
  }

  /** DuckDB writes a staged table's manifests itself and needs the folder to write them into. */
  @Test
  void stageCreatePreparesTheMetadataFolder() {
    tables.stageCreate(WAREHOUSE, ns, request("t").build());
    tables.stageCreate(
        WAREHOUSE,
        ns,
        request("u").setProperty("write.metadata.path", ROOT + "/meta/u").build());

    assertThat(catalog.files.preparedFolders())
        .containsExactly(ROOT + "/ns/t/metadata", ROOT + "/meta/u");
  }

  @Test
  void stageCreateOfAnExistingTableIsAlreadyExists() {
    catalog.createTable(id);

    assertThatThrownBy(() -> tables.stageCreate(WAREHOUSE, ns, request("t").build()))
        .isInstanceOf(AlreadyExistsException.class);
    assertThat(catalog.files.preparedFolders()).isEmpty();
  }

  // ---- load

  @Test
  void loadFindsTheTableByAnyCase() {
    TableMetadata created = catalog.createTable(id);

    assertThat(tables.load(WAREHOUSE, TableIdentifier.of("NS", "T")).uuid())
        .isEqualTo(created.uuid());
    assertThat(tables.metadataLocation(WAREHOUSE, id)).isEqualTo(created.metadataFileLocation());
  }

  @Test
  void missingTable() {
    assertThatThrownBy(() -> tables.load(WAREHOUSE, id)).isInstanceOf(NoSuchTableException.class);
    assertThatThrownBy(() -> tables.metadataLocation(WAREHOUSE, id))
        .isInstanceOf(NoSuchTableException.class);
    assertThatThrownBy(() -> tables.load("nowhere", id))
        .isInstanceOf(NoSuchWarehouseException.class);
  }

  // ---- drop

  @ParameterizedTest(name = "purge {0}")
  @ValueSource(booleans = {false, true})
  void dropRemovesTheTable(boolean purge) {
    catalog.createTable(id);
    String current = catalog.setProperty(id, "k", "v").metadataFileLocation();

    tables.drop(WAREHOUSE, id, purge);

    assertThatThrownBy(() -> tables.load(WAREHOUSE, id)).isInstanceOf(NoSuchTableException.class);
    assertThat(catalog.files.purged()).isEqualTo(purge ? List.of(current) : List.of());
    assertThat(catalog.store.events(WAREHOUSE))
        .last()
        .isInstanceOf(CatalogChange.ObjectDropped.class);
  }

  @Test
  void droppingAMissingTable() {
    assertThatThrownBy(() -> tables.drop(WAREHOUSE, id, false))
        .isInstanceOf(NoSuchTableException.class);
  }

  /**
   * A commit landing between the drop's read and its delete must not make the drop fail with an
   * internal error; the table is dropped, and a purge deletes the files of its final version.
   */
  @Test
  void dropRacingACommitStillDropsAndPurgesTheFinalVersion() {
    catalog.createTable(id);
    List<String> raced = new ArrayList<>();
    catalog.store.beforeNextApply(
        changes -> raced.add(catalog.setProperty(id, "late", "1").metadataFileLocation()));

    tables.drop(WAREHOUSE, id, true);

    assertThatThrownBy(() -> tables.load(WAREHOUSE, id)).isInstanceOf(NoSuchTableException.class);
    assertThat(catalog.files.purged()).containsExactly(raced.get(0));
  }

  @Test
  void dropThatKeepsLosingGivesUpWithAConflict() {
    catalog.createTable(id);
    int[] commits = {0};
    catalog.store.beforeEveryApply(
        changes -> catalog.setProperty(id, "k", Integer.toString(++commits[0])));

    assertThatThrownBy(() -> tables.drop(WAREHOUSE, id, false))
        .isInstanceOf(CommitFailedException.class);
    catalog.store.clearHooks();

    assertThat(commits[0]).isEqualTo(TableService.MAX_DROP_ATTEMPTS);
    assertThat(catalog.load(id).properties()).containsKey("k");
  }

  // ---- rename

  @Test
  void renameMovesTheTable() {
    TableMetadata created = catalog.createTable(id);
    Namespace target = catalog.namespace("target");
    TableIdentifier to = TableIdentifier.of(target, "Renamed");

    tables.rename(WAREHOUSE, id, to);

    assertThat(tables.load(WAREHOUSE, to).uuid()).isEqualTo(created.uuid());
    assertThatThrownBy(() -> tables.load(WAREHOUSE, id)).isInstanceOf(NoSuchTableException.class);
    assertThat(tables.list(WAREHOUSE, target, PageRequest.ALL).items()).containsExactly(to);
  }

  static Stream<Arguments> failedRenames() {
    return Stream.of(
        Arguments.of(
            "onto an existing table",
            TableIdentifier.of("ns", "taken"),
            AlreadyExistsException.class),
        Arguments.of(
            "into a missing namespace",
            TableIdentifier.of("missing", "t"),
            NoSuchNamespaceException.class),
        Arguments.of(
            "to an invalid name", TableIdentifier.of("ns", "a\nb"), BadRequestException.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failedRenames")
  void failedRenameLeavesTheTable(
      String name, TableIdentifier to, Class<? extends Throwable> failure) {
    TableMetadata created = catalog.createTable(id);
    catalog.createTable(TableIdentifier.of(ns, "taken"));

    assertThatThrownBy(() -> tables.rename(WAREHOUSE, id, to)).isInstanceOf(failure);
    assertThat(tables.load(WAREHOUSE, id).uuid()).isEqualTo(created.uuid());
  }

  @Test
  void renamingAMissingTable() {
    assertThatThrownBy(() -> tables.rename(WAREHOUSE, id, TableIdentifier.of(ns, "u")))
        .isInstanceOf(NoSuchTableException.class);
  }

  // ---- register

  @Test
  void registerAdoptsAnExistingMetadataFile() {
    TableMetadata foreign = foreignTable(ROOT + "/imported/t");
    String file = ROOT + "/imported/t/metadata/00007-abc.metadata.json";
    catalog.files.put(file, foreign);

    TableMetadata registered =
        tables.register(
            WAREHOUSE,
            ns,
            register("imported", "/warehouse/imported/t/metadata/00007-abc.metadata.json", false));

    assertThat(registered.uuid()).isEqualTo(foreign.uuid());
    assertThat(tables.metadataLocation(WAREHOUSE, TableIdentifier.of(ns, "imported")))
        .isEqualTo(file);
    assertThat(catalog.store.events(WAREHOUSE))
        .last()
        .satisfies(e -> assertThat(e.eventType()).isEqualTo("table-registered"));
    // The next commit continues the file's numbering.
    TableMetadata next = catalog.setProperty(TableIdentifier.of(ns, "imported"), "k", "v");
    assertThat(next.metadataFileLocation()).contains("/metadata/00008-");
  }

  @Test
  void registerWithOverwriteRepointsAnExistingTable() {
    catalog.createTable(id);
    String file = ROOT + "/ns/t/metadata/00042-abc.metadata.json";
    catalog.files.put(file, foreignTable(ROOT + "/ns/t"));

    tables.register(WAREHOUSE, ns, register("t", file, true));

    assertThat(tables.metadataLocation(WAREHOUSE, id)).isEqualTo(file);
  }

  @Test
  void registerWithoutOverwriteOfAnExistingTableIsAlreadyExists() {
    TableMetadata created = catalog.createTable(id);
    String file = ROOT + "/ns/t/metadata/00042-abc.metadata.json";
    catalog.files.put(file, foreignTable(ROOT + "/ns/t"));

    assertThatThrownBy(() -> tables.register(WAREHOUSE, ns, register("t", file, false)))
        .isInstanceOf(AlreadyExistsException.class);
    assertThat(tables.metadataLocation(WAREHOUSE, id)).isEqualTo(created.metadataFileLocation());
  }

  static Stream<Arguments> badRegistrations() {
    return Stream.of(
        Arguments.of(
            "file outside the warehouse",
            "file:/elsewhere/m.metadata.json",
            "file:/warehouse/x",
            BadRequestException.class),
        Arguments.of(
            "table location outside the warehouse",
            "file:/warehouse/x/m.metadata.json",
            "file:/elsewhere/x",
            BadRequestException.class),
        Arguments.of(
            "no such file", "file:/warehouse/x/none.metadata.json", null, NotFoundException.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRegistrations")
  void badRegistrationRegistersNothing(
      String name, String file, String tableLocation, Class<? extends Throwable> failure) {
    if (tableLocation != null) {
      catalog.files.put(file, foreignTable(tableLocation));
    }

    assertThatThrownBy(() -> tables.register(WAREHOUSE, ns, register("x", file, false)))
        .isInstanceOf(failure);
    assertThat(tables.list(WAREHOUSE, ns, PageRequest.ALL).items()).isEmpty();
  }

  /**
   * A concurrent commit moving the pointer under a register-overwrite is a conflict, not a crash.
   */
  @Test
  void registerOverwriteRacingACommitIsAConflict() {
    catalog.createTable(id);
    String file = ROOT + "/ns/t/metadata/00042-abc.metadata.json";
    catalog.files.put(file, foreignTable(ROOT + "/ns/t"));
    catalog.store.beforeNextApply(changes -> catalog.setProperty(id, "late", "1"));

    assertThatThrownBy(() -> tables.register(WAREHOUSE, ns, register("t", file, true)))
        .isInstanceOf(CommitFailedException.class);
    assertThat(catalog.load(id).properties()).containsEntry("late", "1");
  }

  // ---- metrics and listing

  @Test
  void metricsReportsAreKeptForExistingTables() {
    catalog.createTable(id);

    tables.reportMetrics(WAREHOUSE, id, "scan-report", "{\"table-name\":\"ns.t\"}");

    assertThat(catalog.reports.reports())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.table()).isEqualTo(id);
              assertThat(r.type()).isEqualTo("scan-report");
            });
    assertThatThrownBy(
            () ->
                tables.reportMetrics(
                    WAREHOUSE, TableIdentifier.of(ns, "nope"), "scan-report", "{}"))
        .isInstanceOf(NoSuchTableException.class);
  }

  @Test
  void pagesThroughEveryTableOnce() {
    List<TableIdentifier> all =
        IntStream.range(0, 7).mapToObj(i -> TableIdentifier.of(ns, "t" + i)).toList();
    all.forEach(catalog::createTable);

    List<TableIdentifier> seen = new ArrayList<>();
    String token = "";
    int pages = 0;
    while (token != null) {
      Page<TableIdentifier> page = tables.list(WAREHOUSE, ns, Paging.request(token, 3));
      seen.addAll(page.items());
      token = Paging.nextToken(page);
      pages++;
    }

    assertThat(seen).containsExactlyElementsOf(all);
    assertThat(pages).isEqualTo(3);
    assertThat(tables.list(WAREHOUSE, ns, Paging.request(null, null)).items()).hasSize(7);
  }

  @Test
  void listingAMissingNamespace() {
    assertThatThrownBy(() -> tables.list(WAREHOUSE, Namespace.of("missing"), PageRequest.ALL))
        .isInstanceOf(NoSuchNamespaceException.class);
  }

  // ---- helpers

  private static CreateTableRequest.Builder request(String name) {
    return CreateTableRequest.builder().withName(name).withSchema(SCHEMA);
  }

  private static RegisterTableRequest register(String name, String location, boolean overwrite) {
    return ImmutableRegisterTableRequest.builder()
        .name(name)
        .metadataLocation(location)
        .overwrite(overwrite)
        .build();
  }

  /** A table written by another catalog: its metadata file, ready to be registered. */
  private static TableMetadata foreignTable(String location) {
    return TableMetadata.newTableMetadata(
        SCHEMA, PartitionSpec.unpartitioned(), location, Map.of("origin", "elsewhere"));
  }
}
