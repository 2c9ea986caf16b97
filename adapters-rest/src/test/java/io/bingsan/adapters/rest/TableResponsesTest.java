package io.bingsan.adapters.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bingsan.service.CommittedTable;
import io.bingsan.service.TableMetadataJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotParser;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.rest.RESTCatalogProperties.SnapshotMode;
import org.apache.iceberg.rest.responses.LoadTableResponse;
import org.apache.iceberg.rest.responses.LoadTableResponseParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TableResponsesTest {
  private static final String V1 = "file:/tmp/warehouse/db/t/metadata/00001-a.metadata.json";
  private static final String V2 = "file:/tmp/warehouse/db/t/metadata/00002-b.metadata.json";

  private final TableMetadataJson tableJson = new TableMetadataJson(1 << 20);
  private final TableResponses responses =
      new TableResponses(1 << 24, Deflater.BEST_SPEED);
  private final AtomicInteger loads = new AtomicInteger();

  @Test
  void aHitNeedsNoMetadata() {
    TableResponses.Rendered first = responses.load(V1, SnapshotMode.ALL, () -> load(V1));
    TableResponses.Rendered second = responses.load(V1, SnapshotMode.ALL, () -> load(V1));

    assertThat(loads).hasValue(1);
    assertThat(second).isSameAs(first);
    assertThat(first.etag()).isEqualTo(ETags.of(V1, SnapshotMode.ALL));
  }

  @Test
  void requestsMissingTogetherRenderOnce() throws Exception {
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Supplier<TableMetadata> slowLoad =
        () -> {
          loading.countDown();
          await(release);
          return load(V1);
        };
    try (ExecutorService requests = Executors.newFixedThreadPool(4)) {
      Future<TableResponses.Rendered> first =
          requests.submit(() -> responses.load(V1, SnapshotMode.REFS, slowLoad));
      assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
      List<Future<TableResponses.Rendered>> others = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        others.add(requests.submit(() -> responses.load(V1, SnapshotMode.REFS, slowLoad)));
      }
      // The others are waiting on the first render, not rendering themselves.
      Thread.sleep(100);
      release.countDown();

      for (Future<TableResponses.Rendered> other : others) {
        assertThat(other.get(10, TimeUnit.SECONDS)).isSameAs(first.get(10, TimeUnit.SECONDS));
      }
    }
    assertThat(loads).hasValue(1);
  }

  @Test
  void aFailedRenderFailsItsWaitersAndTheNextRequestTriesAgain() throws Exception {
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Supplier<TableMetadata> failingLoad =
        () -> {
          loading.countDown();
          await(release);
          throw new NoSuchTableException("gone");
        };
    try (ExecutorService requests = Executors.newFixedThreadPool(2)) {
      Future<TableResponses.Rendered> first =
          requests.submit(() -> responses.load(V1, SnapshotMode.ALL, failingLoad));
      assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
      Future<TableResponses.Rendered> waiter =
          requests.submit(() -> responses.load(V1, SnapshotMode.ALL, failingLoad));
      Thread.sleep(100);
      release.countDown();

      for (Future<TableResponses.Rendered> request : List.of(first, waiter)) {
        assertThatThrownBy(() -> request.get(10, TimeUnit.SECONDS))
            .hasCauseInstanceOf(NoSuchTableException.class);
      }
    }
    assertThat(responses.load(V1, SnapshotMode.ALL, () -> load(V1)).etag())
        .isEqualTo(ETags.of(V1, SnapshotMode.ALL));
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void refsKeepsOnlyReferencedSnapshotsUnderItsOwnTag() {
    TableResponses.Rendered all = responses.load(V1, SnapshotMode.ALL, () -> load(V1));
    TableResponses.Rendered refs = responses.load(V1, SnapshotMode.REFS, () -> load(V1));

    assertThat(parse(all).tableMetadata().snapshots()).hasSize(2);
    LoadTableResponse refsResponse = parse(refs);
    assertThat(refsResponse.tableMetadata().snapshots())
        .singleElement()
        .satisfies(snapshot -> assertThat(snapshot.snapshotId()).isEqualTo(2L));
    assertThat(refsResponse.metadataLocation()).isEqualTo(V1);
    assertThat(refs.etag()).isNotEqualTo(all.etag());
    assertThat(loads).hasValue(2);
  }

  @Test
  void newerMetadataThanThePointerIsCachedUnderItsOwnLocation() {
    TableResponses.Rendered raced = responses.load(V1, SnapshotMode.ALL, () -> load(V2));

    assertThat(raced.etag()).isEqualTo(ETags.of(V2, SnapshotMode.ALL));
    assertThat(parse(responses.load(V1, SnapshotMode.ALL, () -> load(V1))).metadataLocation())
        .isEqualTo(V1);
    responses.load(V2, SnapshotMode.ALL, () -> load(V2));
    assertThat(loads).hasValue(2);
  }

  @Test
  void anEvictedLocationIsRenderedAgainInEveryMode() {
    responses.load(V1, SnapshotMode.ALL, () -> load(V1));
    responses.load(V1, SnapshotMode.REFS, () -> load(V1));
    responses.load(V2, SnapshotMode.ALL, () -> load(V2));

    responses.evict(V1);

    assertThat(responses.lookup(V1, SnapshotMode.ALL)).isNull();
    assertThat(responses.lookup(V1, SnapshotMode.REFS)).isNull();
    assertThat(responses.lookup(V2, SnapshotMode.ALL)).isNotNull();
  }

  @Test
  void renderedCommitResultsServeTheNextLoad() {
    responses.render(TestTables.withTwoSnapshots(V2), SnapshotMode.ALL);

    responses.load(V2, SnapshotMode.ALL, () -> load(V2));

    assertThat(loads).hasValue(0);
  }

  @ParameterizedTest
  @ValueSource(strings = {V2, "file:/tmp/w\u00e4re \"house\"\\db/t/metadata/00002-b.metadata.json"})
  void aCommittedTableIsAnsweredWithTheBytesOfIcebergsParser(String location) {
    TableMetadata metadata = TestTables.withTwoSnapshots(location);

    TableResponses.Rendered rendered =
        responses.render(new CommittedTable(metadata, tableJson.serialize(metadata)));

    assertThat(new String(rendered.body(), StandardCharsets.UTF_8))
        .isEqualTo(
            LoadTableResponseParser.toJson(
                LoadTableResponse.builder().withTableMetadata(metadata).build()));
    assertThat(rendered.etag()).isEqualTo(ETags.of(location, SnapshotMode.ALL));
    assertThat(responses.load(location, SnapshotMode.ALL, () -> load(location))).isSameAs(rendered);
    assertThat(loads).hasValue(0);
  }

  @Test
  void everyVersionInEveryModeIsTheBytesOfIcebergsParser() {
    TableMetadata metadata = TestTables.withTwoSnapshots(V1);
    for (int version = 3; version < 12; version++) {
      metadata = withNextSnapshot(metadata, version);
      for (SnapshotMode mode : List.of(SnapshotMode.REFS, SnapshotMode.ALL)) {
        TableResponses.Rendered rendered = responses.render(metadata, mode);

        assertThat(new String(rendered.body(), StandardCharsets.UTF_8))
            .as("version %d, %s", version, mode)
            .isEqualTo(LoadTableResponseParser.toJson(expected(metadata, mode)));
      }
    }
    TableMetadata staged = TestTables.withTwoSnapshots(null);
    byte[] stagedBody = responses.render(staged, SnapshotMode.ALL).body();
    assertThat(new String(stagedBody, StandardCharsets.UTF_8))
        .isEqualTo(LoadTableResponseParser.toJson(expected(staged, SnapshotMode.ALL)));
  }

  @Test
  void gzipFormsOfALongHistoryShareItsChunksAndInflateToTheirBodies() {
    TableMetadata metadata = TestTables.withTwoSnapshots(V1);
    List<TableResponses.Rendered> lastVersions = new ArrayList<>();
    for (int version = 3; version < 400; version++) {
      metadata = withNextSnapshot(metadata, version);
      TableResponses.Rendered all = responses.render(metadata, SnapshotMode.ALL);
      TableResponses.Rendered refs = responses.render(metadata, SnapshotMode.REFS);
      if (version >= 397) {
        lastVersions.add(all);
        lastVersions.add(refs);
      }
    }

    for (TableResponses.Rendered rendered : lastVersions) {
      assertThat(Gunzip.decode(responses.gzipped(rendered).body())).isEqualTo(rendered.body());
    }
    // The ALL bodies of consecutive versions hold the same first chunk of snapshots.
    assertThat(lastVersions.get(0).chunks()).isNotEmpty();
    assertThat(lastVersions.get(2).chunks().getFirst().deflated())
        .isSameAs(lastVersions.get(0).chunks().getFirst().deflated());
  }

  /** Each commit names a new file, which must not start cold against tables loaded once. */
  @Test
  void aBusyTablesNewVersionsAreKeptInACacheFullOfTablesLoadedOnce() {
    TableResponses small = new TableResponses(200_000, Deflater.BEST_SPEED);
    for (int i = 0; i < 200; i++) {
      String other = "file:/tmp/warehouse/db/other%d/metadata/00001-a.metadata.json".formatted(i);
      small.load(other, SnapshotMode.ALL, () -> load(other));
      small.load(other, SnapshotMode.ALL, () -> load(other));
    }
    for (int load = 0; load < 3; load++) {
      small.load(V1, SnapshotMode.ALL, () -> load(V1));
    }

    TableMetadata metadata = TestTables.withTwoSnapshots(V1);
    for (int version = 3; version < 23; version++) {
      metadata = withNextSnapshot(metadata, version);
      small.render(new CommittedTable(metadata, tableJson.serialize(metadata)));

      assertThat(small.lookup(metadata.metadataFileLocation(), SnapshotMode.ALL)).isNotNull();
    }
  }

  /** The next version: one more snapshot on main, at a location of its own. */
  private static TableMetadata withNextSnapshot(TableMetadata base, int version) {
    Snapshot snapshot =
        SnapshotParser.fromJson(
            """
            {"sequence-number": %1$d, "snapshot-id": %1$d, "parent-snapshot-id": %2$d,
             "timestamp-ms": %3$d, "summary": {"operation": "append"}, "schema-id": 0,
             "manifest-list": "file:/tmp/warehouse/db/t/metadata/snap-%1$d.avro"}
            """
                .formatted(version, version - 1, 1_700_000_000_000L + version * 1_000));
    TableMetadata updated =
        TableMetadata.buildFrom(base).setBranchSnapshot(snapshot, SnapshotRef.MAIN_BRANCH).build();
    return TableMetadata.buildFrom(updated)
        .withMetadataLocation(
            "file:/tmp/warehouse/db/t/metadata/%05d-v.metadata.json".formatted(version))
        .discardChanges()
        .build();
  }

  private static LoadTableResponse expected(TableMetadata metadata, SnapshotMode mode) {
    TableMetadata shown =
        mode == SnapshotMode.ALL
            ? metadata
            : TableMetadata.buildFrom(metadata)
                .withMetadataLocation(metadata.metadataFileLocation())
                .suppressHistoricalSnapshots()
                .build();
    return LoadTableResponse.builder().withTableMetadata(shown).build();
  }

  @Test
  void theGzipFormIsMadeOnceAndKeptWithThePlainOne() {
    TableResponses.Rendered plain = responses.load(V1, SnapshotMode.ALL, () -> load(V1));

    TableResponses.Encoded gzipped = responses.gzipped(plain);
    TableResponses.Rendered again = responses.load(V1, SnapshotMode.ALL, () -> load(V1));

    assertThat(Gunzip.decode(gzipped.body())).isEqualTo(plain.body());
    assertThat(gzipped.gzip()).isTrue();
    assertThat(gzipped.etag()).isEqualTo(ETags.gzip(ETags.of(V1, SnapshotMode.ALL)));
    assertThat(plain.plain().gzip()).isFalse();
    assertThat(again.body()).isSameAs(plain.body());
    assertThat(again.gzip()).isSameAs(gzipped);
    assertThat(responses.gzipped(again)).isSameAs(gzipped);
    assertThat(loads).hasValue(1);
  }

  @Test
  void theGzipFormIsMadeAtTheConfiguredLevel() {
    TableResponses smallest =
        new TableResponses(1 << 24, Deflater.BEST_COMPRESSION);
    TableResponses.Rendered plain = responses.load(V1, SnapshotMode.ALL, () -> load(V1));

    byte[] fastest = responses.gzipped(plain).body();
    byte[] smallestForm = smallest.gzipped(smallest.render(load(V1), SnapshotMode.ALL)).body();

    assertThat(Gunzip.decode(smallestForm)).isEqualTo(plain.body());
    assertThat(smallestForm.length).isLessThan(fastest.length);
  }

  @Test
  void stagedMetadataIsCompressedWithoutBeingCached() {
    TableResponses.Rendered staged =
        responses.render(TestTables.withTwoSnapshots(null), SnapshotMode.ALL);

    TableResponses.Encoded gzipped = responses.gzipped(staged);

    assertThat(Gunzip.decode(gzipped.body())).isEqualTo(staged.body());
    assertThat(gzipped.etag()).isNull();
  }

  @Test
  void stagedMetadataHasNoTagAndIsNotCached() {
    TableMetadata staged = TestTables.withTwoSnapshots(null);

    assertThat(staged.metadataFileLocation()).isNull();
    assertThat(responses.render(staged, SnapshotMode.ALL).etag()).isNull();
  }

  @Test
  void aZeroSizedCacheStillServes() {
    TableResponses uncached = new TableResponses(0, Deflater.BEST_SPEED);

    uncached.load(V1, SnapshotMode.ALL, () -> load(V1));
    TableResponses.Rendered again = uncached.load(V1, SnapshotMode.ALL, () -> load(V1));

    assertThat(parse(again).metadataLocation()).isEqualTo(V1);
  }

  private TableMetadata load(String location) {
    loads.incrementAndGet();
    return TestTables.withTwoSnapshots(location);
  }

  private static LoadTableResponse parse(TableResponses.Rendered rendered) {
    return LoadTableResponseParser.fromJson(new String(rendered.body(), StandardCharsets.UTF_8));
  }
}
