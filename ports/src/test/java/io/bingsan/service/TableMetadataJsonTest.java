package io.bingsan.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotParser;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bytes must be exactly Iceberg's parser's, and their gzip form must inflate to them, however a
 * table's snapshots came and went between versions: property-style, over seeded random histories
 * of every format version.
 */
class TableMetadataJsonTest {
  private static final Schema SCHEMA =
      new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));

  private final TableMetadataJson json = new TableMetadataJson(1 << 20);

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6})
  void everyVersionIsTheParsersBytes(long seed) {
    Random random = new Random(seed);
    TableMetadata metadata = newTable(random);
    for (int version = 0; version < 40; version++) {
      metadata = nextVersion(metadata, random, version);

      assertThat(new String(json.serialize(metadata).utf8(), StandardCharsets.UTF_8))
          .as("version %d", version)
          .isEqualTo(TableMetadataParser.toJson(metadata));
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {7, 8})
  void metadataReadBackFromItsBytesWritesTheSameBytes(long seed) {
    Random random = new Random(seed);
    TableMetadata metadata = newTable(random);
    for (int version = 0; version < 10; version++) {
      metadata = nextVersion(metadata, random, version);
    }
    byte[] written = json.serialize(metadata).utf8();

    // New snapshot objects, as a node that reads another node's file has.
    TableMetadata readBack =
        TableMetadataParser.fromJson(new String(written, StandardCharsets.UTF_8));

    assertThat(json.serialize(readBack).utf8()).isEqualTo(written);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {9})
  void aVersionWritesOnlyTheListEntriesItAddedSinceTheLastOne(long seed) {
    Random random = new Random(seed);
    TableMetadata metadata = newTable(random);
    for (int version = 0; version < 20; version++) {
      metadata = nextVersion(metadata, random, version);
      json.serialize(metadata);
    }
    long written = json.writtenEntries();

    TableMetadata appended = appendSnapshot(metadata, random);
    json.serialize(appended);

    // The snapshot, its snapshot log entry and the metadata log entry of the version before.
    assertThat(metadata.snapshots()).hasSizeGreaterThan(1);
    assertThat(metadata.previousFiles()).isNotEmpty();
    assertThat(json.writtenEntries()).isEqualTo(written + 3);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {10, 11, 12, 13})
  void everyVersionsGzipFormInflatesToItsBytes(long seed) throws IOException {
    // Small chunks, so that short histories have several, cut anew when snapshots expire.
    TableMetadataJson chunked = new TableMetadataJson(1 << 20, 256);
    Random random = new Random(seed);
    TableMetadata metadata = newTable(random);
    int chunkedVersions = 0;
    for (int version = 0; version < 40; version++) {
      metadata = nextVersion(metadata, random, version);
      TableMetadataJson.Serialized serialized = chunked.serialize(metadata);
      // As a response carries it: behind a head, before a brace.
      byte[] head = text(random).getBytes(StandardCharsets.UTF_8);
      byte[] body = concat(head, serialized.utf8(), new byte[] {'}'});
      List<ChunkedGzip.Chunk> chunks =
          serialized.chunks().stream().map(chunk -> chunk.shifted(head.length)).toList();
      chunkedVersions += chunks.isEmpty() ? 0 : 1;

      assertThat(gunzip(ChunkedGzip.gzip(body, chunks, 1 + random.nextInt(9))))
          .as("version %d", version)
          .isEqualTo(body);
    }
    assertThat(chunkedVersions).isGreaterThan(20);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {14})
  void aVersionDeflatesOnlyTheBytesAfterTheChunksOfTheVersionBefore(long seed)
      throws IOException {
    TableMetadataJson chunked = new TableMetadataJson(1 << 20, 1024);
    Random random = new Random(seed);
    TableMetadata metadata = newTable(random);
    for (int version = 0; version < 200; version++) {
      metadata = appendSnapshot(metadata, random);
      TableMetadataJson.Serialized serialized = chunked.serialize(metadata);
      ChunkedGzip.gzip(serialized.utf8(), serialized.chunks(), 1);
    }
    long deflated = ChunkedGzip.deflatedBytes();

    TableMetadataJson.Serialized appended = chunked.serialize(appendSnapshot(metadata, random));
    byte[] gzipped = ChunkedGzip.gzip(appended.utf8(), appended.chunks(), 1);

    assertThat(gunzip(gzipped)).isEqualTo(appended.utf8());
    // Besides the head and tail: at most a chunk's worth of each list, and the new entries.
    long deflatedNow = ChunkedGzip.deflatedBytes() - deflated;
    assertThat(appended.utf8().length).isGreaterThan(60_000);
    assertThat(deflatedNow).isLessThan(appended.utf8().length / 8);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {15})
  void tablesWithEmptyListsAreKeptWithinTheBoundToo(long seed) {
    TableMetadataJson bounded = new TableMetadataJson(64 * 1024);
    Random random = new Random(seed);
    for (int table = 0; table < 2_000; table++) {
      bounded.serialize(newTable(random));
    }

    assertThat(bounded.keptTables()).isBetween(1L, 128L);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static byte[] gunzip(byte[] gzipped) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
      return in.readAllBytes();
    }
  }

  private static TableMetadata appendSnapshot(TableMetadata base, Random random) {
    Snapshot snapshot =
        snapshot(
            random,
            base.currentSnapshot(),
            base.lastSequenceNumber() + 1,
            base.nextRowId(),
            base.formatVersion());
    return TableMetadata.buildFrom(base)
        .setBranchSnapshot(snapshot, SnapshotRef.MAIN_BRANCH)
        .build();
  }

  private static TableMetadata newTable(Random random) {
    int formatVersion = 1 + random.nextInt(3);
    Map<String, String> properties = new HashMap<>();
    properties.put("format-version", Integer.toString(formatVersion));
    // A property named like the snapshot list must not be taken for it.
    properties.put("snapshots", "not the list");
    return TableMetadata.newTableMetadata(
        SCHEMA,
        PartitionSpec.unpartitioned(),
        SortOrder.unsorted(),
        "s3://bucket/" + text(random),
        properties);
  }

  /** Adds snapshots on main, sometimes tags or expires some, then gives the version a location. */
  private static TableMetadata nextVersion(TableMetadata base, Random random, int version) {
    TableMetadata.Builder builder = TableMetadata.buildFrom(base);
    Snapshot parent = base.currentSnapshot();
    long sequenceNumber = base.lastSequenceNumber();
    long nextRowId = base.nextRowId();
    int added = random.nextInt(4);
    for (int i = 0; i < added; i++) {
      Snapshot snapshot =
          snapshot(random, parent, ++sequenceNumber, nextRowId, base.formatVersion());
      nextRowId += 100;
      builder.addSnapshot(snapshot);
      parent = snapshot;
    }
    if (added > 0) {
      builder.setBranchSnapshot(parent.snapshotId(), SnapshotRef.MAIN_BRANCH);
    }
    List<Long> history = base.snapshots().stream().map(Snapshot::snapshotId).toList();
    if (!history.isEmpty() && random.nextInt(4) == 0) {
      long tagged = history.get(random.nextInt(history.size()));
      builder.setRef("tag-" + version, SnapshotRef.tagBuilder(tagged).build());
    }
    if (history.size() > 3 && random.nextInt(3) == 0 && added > 0) {
      builder.removeRef("tag-" + (version - 1));
      builder.removeSnapshots(history.subList(0, 1 + random.nextInt(history.size() / 2)));
    }
    builder.setProperties(Map.of("k" + random.nextInt(5), text(random)));
    TableMetadata updated = builder.build();
    return TableMetadata.buildFrom(updated)
        .withMetadataLocation(updated.location() + "/metadata/" + version + ".metadata.json")
        .discardChanges()
        .build();
  }

  private static Snapshot snapshot(
      Random random, Snapshot parent, long sequenceNumber, long firstRowId, int formatVersion) {
    long id = random.nextLong(1, Long.MAX_VALUE);
    StringBuilder snapshot = new StringBuilder("{");
    snapshot.append("\"snapshot-id\": ").append(id);
    if (parent != null) {
      snapshot.append(", \"parent-snapshot-id\": ").append(parent.snapshotId());
    }
    if (formatVersion > 1) {
      snapshot.append(", \"sequence-number\": ").append(sequenceNumber);
    }
    if (formatVersion > 2) {
      snapshot.append(", \"first-row-id\": ").append(firstRowId).append(", \"added-rows\": 100");
    }
    snapshot
        .append(", \"timestamp-ms\": ")
        // The snapshot log must stay in time order.
        .append(1_700_000_000_000L + sequenceNumber * 1_000 + random.nextInt(1_000))
        .append(", \"manifest-list\": ")
        .append(quoted("s3://bucket/" + text(random) + ".avro"))
        .append(", \"summary\": {\"operation\": \"append\", ")
        .append(quoted(text(random)))
        .append(": ")
        .append(quoted(text(random)))
        .append("}, \"schema-id\": 0}");
    return SnapshotParser.fromJson(snapshot.toString());
  }

  /** Text a generator must escape or encode: quotes, backslashes, controls, non-ASCII. */
  private static String text(Random random) {
    StringBuilder text = new StringBuilder();
    int length = 1 + random.nextInt(12);
    for (int i = 0; i < length; i++) {
      text.appendCodePoint(
          switch (random.nextInt(5)) {
            case 0 -> '"';
            case 1 -> '\\';
            case 2 -> random.nextInt(0x20);
            case 3 -> 0xE9 + random.nextInt(0x1000);
            default -> 'a' + random.nextInt(26);
          });
    }
    return text.toString();
  }

  private static String quoted(String text) {
    StringBuilder quoted = new StringBuilder("\"");
    text.codePoints()
        .forEach(
            c -> {
              if (c == '"' || c == '\\') {
                quoted.append('\\').appendCodePoint(c);
              } else if (c < 0x20) {
                quoted.append(String.format("\\u%04x", c));
              } else {
                quoted.appendCodePoint(c);
              }
            });
    return quoted.append('"').toString();
  }
}
