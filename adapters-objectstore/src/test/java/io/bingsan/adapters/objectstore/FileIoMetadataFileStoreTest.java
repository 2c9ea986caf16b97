package io.bingsan.adapters.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bingsan.service.TableMetadataJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.inmemory.InMemoryFileIO;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileIoMetadataFileStoreTest {
  private static final Schema SCHEMA =
      new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));

  @TempDir Path root;

  private final TableMetadataJson tableJson = new TableMetadataJson(1 << 20);
  private final FileIoMetadataFileStore store =
      new FileIoMetadataFileStore(Map.of("file", new LocalFileIO()));

  private TableMetadata table(Map<String, String> properties) {
    return TableMetadata.newTableMetadata(
        SCHEMA, PartitionSpec.unpartitioned(), SortOrder.unsorted(), "file:" + root, properties);
  }

  @ParameterizedTest
  @ValueSource(strings = {"file:", "file://", ""})
  void writesAndReadsBackUnderEveryLocalSpelling(String prefix) {
    String location = prefix + root + "/metadata/00000-a.metadata.json";
    TableMetadata metadata = table(Map.of("k", "v"));

    store.writeTableJson(tableJson.serialize(metadata).utf8(), location);
    TableMetadata read = store.readTable(location);

    assertThat(read.metadataFileLocation()).isEqualTo(location);
    assertThat(read.uuid()).isEqualTo(metadata.uuid());
    assertThat(read.properties()).containsEntry("k", "v");
    assertThat(root.resolve("metadata/00000-a.metadata.json")).isRegularFile();
  }

  @Test
  void compressesWhenTheFileNameSaysGzip() throws IOException {
    String location = "file:" + root + "/metadata/00000-a.gz.metadata.json";
    TableMetadata metadata = table(Map.of("write.metadata.compression-codec", "gzip"));

    store.writeTableJson(tableJson.serialize(metadata).utf8(), location);

    try (InputStream in =
        new GZIPInputStream(Files.newInputStream(root.resolve("metadata/00000-a.gz.metadata.json")))) {
      assertThat(TableMetadataParser.fromJson(new String(in.readAllBytes())).uuid())
          .isEqualTo(metadata.uuid());
    }
    assertThat(store.readTable(location).uuid()).isEqualTo(metadata.uuid());
  }

  /** What a commit stores in the database is what the file holds: Iceberg's own bytes. */
  @ParameterizedTest
  @ValueSource(strings = {"00000-a.metadata.json", "00000-a.gz.metadata.json"})
  void writesJsonAsIcebergsOwnWriterDoes(String name) throws IOException {
    TableMetadata metadata = table(Map.of("k", "v"));

    store.writeTableJson(tableJson.serialize(metadata).utf8(), "file:" + root + "/ours/" + name);
    TableMetadataParser.write(
        metadata, new LocalFileIO().newOutputFile("file:" + root + "/iceberg/" + name));

    assertThat(Files.readAllBytes(root.resolve("ours/" + name)))
        .isEqualTo(Files.readAllBytes(root.resolve("iceberg/" + name)));
  }

  /** Some object stores publish a file on every close of its stream: it must be closed once. */
  @ParameterizedTest
  @ValueSource(strings = {"00000-a.metadata.json", "00000-a.gz.metadata.json"})
  void writesAnObjectStoreFileOnce(String name) {
    InMemoryFileIO objects = new InMemoryFileIO();
    FileIoMetadataFileStore withObjects =
        new FileIoMetadataFileStore(Map.of("s3", objects));
    TableMetadata metadata = table(Map.of());
    String location = "s3://bucket/t/metadata/" + name;

    withObjects.writeTableJson(tableJson.serialize(metadata).utf8(), location);

    assertThat(withObjects.readTable(location).uuid()).isEqualTo(metadata.uuid());
  }

  @Test
  void neverOverwritesAnExistingFile() {
    String location = "file:" + root + "/metadata/00000-a.metadata.json";
    byte[] json = tableJson.serialize(table(Map.of())).utf8();
    store.writeTableJson(json, location);

    assertThatThrownBy(() -> store.writeTableJson(json, location))
        .isInstanceOf(AlreadyExistsException.class);
  }

  @Test
  void readingAMissingFileIsNotFound() {
    assertThatThrownBy(() -> store.readTable("file:" + root + "/nope.metadata.json"))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void unknownSchemesAreBadRequests() {
    assertThatThrownBy(() -> store.readTable("ftp://host/x.metadata.json"))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("ftp://host/x.metadata.json");
  }

  /** A local folder must exist before clients write into it; a second prepare is harmless. */
  @ParameterizedTest
  @ValueSource(strings = {"file:", "file://", ""})
  void preparesALocalFolderWithItsParents(String prefix) {
    String folder = prefix + root + "/ns/t/metadata";

    store.prepareFolder(folder);
    store.prepareFolder(folder);

    assertThat(root.resolve("ns/t/metadata")).isDirectory().isEmptyDirectory();
  }

  @Test
  void preparingAnObjectStoreFolderTouchesNothing() {
    InMemoryFileIO objects = new InMemoryFileIO();
    FileIoMetadataFileStore withObjects =
        new FileIoMetadataFileStore(Map.of("file", new LocalFileIO(), "s3", objects));

    withObjects.prepareFolder("s3://bucket/ns/t/metadata");

    assertThat(objects.fileExists("s3://bucket/ns/t/metadata")).isFalse();
  }

  @Test
  void deleteRemovesTheFileAndIgnoresMissingOnes() {
    String location = "file:" + root + "/metadata/00000-a.metadata.json";
    store.writeTableJson(tableJson.serialize(table(Map.of())).utf8(), location);

    store.delete(location);
    store.delete(location);

    assertThat(root.resolve("metadata/00000-a.metadata.json")).doesNotExist();
  }

  @Test
  void purgeDeletesCurrentAndPreviousMetadataFiles() {
    String first = "file:" + root + "/metadata/00000-a.metadata.json";
    String second = "file:" + root + "/metadata/00001-b.metadata.json";
    store.writeTableJson(tableJson.serialize(table(Map.of())).utf8(), first);
    TableMetadata updated =
        TableMetadata.buildFrom(store.readTable(first)).setProperties(Map.of("x", "y")).build();
    store.writeTableJson(tableJson.serialize(updated).utf8(), second);

    store.purgeTable(store.readTable(second));

    assertThat(root.resolve("metadata/00000-a.metadata.json")).doesNotExist();
    assertThat(root.resolve("metadata/00001-b.metadata.json")).doesNotExist();
  }
}
