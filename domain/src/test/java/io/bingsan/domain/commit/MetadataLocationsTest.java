package io.bingsan.domain.commit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.iceberg.MetadataUpdate;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser.Codec;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.view.ViewMetadata;
import org.apache.iceberg.view.ViewProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Metadata file names: Iceberg's {@code <dir>/<version>-<uuid><ext>}, so other tools find them. */
class MetadataLocationsTest {
  private static final UUID FILE_ID = UUID.fromString("00000000-0000-0000-0000-00000000abcd");

  @Test
  void newTableStartsAtVersionZeroInItsMetadataFolder() {
    TableMetadata table = TestTables.base();

    String location = MetadataLocations.nextTableMetadata(table, null, FILE_ID);

    assertThat(location)
        .isEqualTo(table.location() + "/metadata/00000-" + FILE_ID + ".metadata.json");
  }

  /** Property-style: whatever the previous version and folder, the next file is one higher. */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void nextVersionFollowsThePreviousFileName(long seed) {
    Random random = new Random(seed);
    TableMetadata table = TestTables.base();
    List<String> folders =
        List.of("file:/w/t/metadata", "s3://my-bucket/ns-1/t-2/metadata", "gs://b/a-b-c/meta");
    List<String> extensions = List.of(".metadata.json", ".gz.metadata.json");
    for (int i = 0; i < 200; i++) {
      int previous = random.nextInt(150_000);
      String previousLocation =
          String.format(
              Locale.ROOT,
              "%s/%05d-%s%s",
              folders.get(random.nextInt(folders.size())),
              previous,
              UUID.randomUUID(),
              extensions.get(random.nextInt(extensions.size())));

      String next = MetadataLocations.nextTableMetadata(table, previousLocation, FILE_ID);

      assertThat(MetadataLocations.version(next)).isEqualTo(previous + 1);
      assertThat(fileName(next)).startsWith(String.format(Locale.ROOT, "%05d-", previous + 1));
    }
  }

  /** Golden: Iceberg's own table operations number the file after a registered one the same way. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "00003-5f1c.metadata.json",
        "00099-5f1c.gz.metadata.json",
        "v3.metadata.json",
        "abc-def.metadata.json",
        "12345678901-overflow.metadata.json"
      })
  void versionAgreesWithIcebergTableOperations(String previousFileName) {
    IcebergReference reference = new IcebergReference();
    IcebergReference.Registered table = reference.register(TestTables.base(), previousFileName);

    TableMetadata theirs =
        reference.commit(
            table.identifier(),
            List.of(),
            List.of(new MetadataUpdate.SetProperties(Map.of("k", "v"))));
    String ours =
        MetadataLocations.nextTableMetadata(theirs, table.base().metadataFileLocation(), FILE_ID);

    assertThat(MetadataLocations.version(ours))
        .isEqualTo(MetadataLocations.version(theirs.metadataFileLocation()));
  }

  /**
   * Files named by other tools carry no version; Iceberg then starts again at 0 (the UUID keeps it
   * unique).
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "file:/w/t/metadata/v3.metadata.json",
        "s3://b/my-table/metadata/metadata.json",
        "file:/w/t/metadata/abc-def.metadata.json",
        "file:/w/t/metadata/-1-x.metadata.json",
        "file:/w/t/metadata/99999999999-x.metadata.json",
        "v7-no-folder.metadata.json"
      })
  void unparseablePreviousNameRestartsAtZero(String previous) {
    String next = MetadataLocations.nextTableMetadata(TestTables.base(), previous, FILE_ID);

    assertThat(fileName(next)).startsWith("00000-");
    assertThat(next).isNotEqualTo(previous);
  }

  static Stream<Arguments> tableCodecs() {
    return Stream.of(
        Arguments.of(null, Codec.NONE),
        Arguments.of("none", Codec.NONE),
        Arguments.of("gzip", Codec.GZIP),
        Arguments.of("GZIP", Codec.GZIP));
  }

  /** The extension must be what Iceberg's reader uses to pick the decompression. */
  @ParameterizedTest(name = "codec {0}")
  @MethodSource("tableCodecs")
  void tableFileExtensionFollowsTheCompressionCodec(String codec, Codec expected) {
    TableMetadata table =
        withProperties(
            TestTables.base(), codecProperty(TableProperties.METADATA_COMPRESSION, codec));

    String location = MetadataLocations.nextTableMetadata(table, null, FILE_ID);

    assertThat(Codec.fromFileName(location)).isEqualTo(expected);
    assertThat(location)
        .endsWith(expected == Codec.GZIP ? ".gz.metadata.json" : "-" + FILE_ID + ".metadata.json");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"s3://bucket/meta", "s3://bucket/meta/", "s3://bucket/meta//"})
  void tableMetadataPathPropertyIsHonoured(String path) {
    TableMetadata table =
        withProperties(TestTables.base(), Map.of(TableProperties.WRITE_METADATA_LOCATION, path));

    String location = MetadataLocations.nextTableMetadata(table, null, FILE_ID);

    assertThat(location).isEqualTo("s3://bucket/meta/00000-" + FILE_ID + ".metadata.json");
  }

  @Test
  void tableMetadataFolderHoldsTheNextMetadataFile() {
    TableMetadata plain = TestTables.base();
    TableMetadata moved =
        withProperties(plain, Map.of(TableProperties.WRITE_METADATA_LOCATION, "s3://bucket/m/"));

    for (TableMetadata table : List.of(plain, moved)) {
      String next = MetadataLocations.nextTableMetadata(table, null, FILE_ID);
      assertThat(MetadataLocations.tableMetadataFolder(table))
          .isEqualTo(next.substring(0, next.lastIndexOf('/')));
    }
    assertThat(MetadataLocations.tableMetadataFolder(moved)).isEqualTo("s3://bucket/m");
  }

  static Stream<Arguments> viewCodecs() {
    // Views, unlike tables, compress their metadata by default.
    return Stream.of(
        Arguments.of(null, Codec.GZIP),
        Arguments.of("gzip", Codec.GZIP),
        Arguments.of("none", Codec.NONE));
  }

  @ParameterizedTest(name = "codec {0}")
  @MethodSource("viewCodecs")
  void viewFileExtensionFollowsTheCompressionCodec(String codec, Codec expected) {
    ViewMetadata base = TestViews.base();
    ViewMetadata view =
        withProperties(base, codecProperty(ViewProperties.METADATA_COMPRESSION, codec));

    String location =
        MetadataLocations.nextViewMetadata(view, base.metadataFileLocation(), FILE_ID);

    assertThat(Codec.fromFileName(location)).isEqualTo(expected);
    assertThat(location)
        .startsWith(TestViews.LOCATION + "/metadata/00002-" + FILE_ID)
        .endsWith(expected == Codec.GZIP ? ".gz.metadata.json" : FILE_ID + ".metadata.json");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"gs://bucket/view-meta", "gs://bucket/view-meta///"})
  void viewMetadataPathPropertyIsHonoured(String path) {
    ViewMetadata view =
        withProperties(TestViews.base(), Map.of(ViewProperties.WRITE_METADATA_LOCATION, path));

    String location = MetadataLocations.nextViewMetadata(view, null, FILE_ID);

    assertThat(location).isEqualTo("gs://bucket/view-meta/00000-" + FILE_ID + ".gz.metadata.json");
  }

  @Test
  void trailingSlashOfTheTableLocationDoesNotDoubleUp() {
    TableMetadata table =
        TableMetadata.buildFrom(TestTables.base()).setLocation("s3://bucket/t//").build();

    assertThat(MetadataLocations.nextTableMetadata(table, null, FILE_ID))
        .isEqualTo("s3://bucket/t/metadata/00000-" + FILE_ID + ".metadata.json");
  }

  @Test
  void fileNamesAreDistinctPerFileId() {
    TableMetadata table = TestTables.base();
    long distinct =
        IntStream.range(0, 100)
            .mapToObj(
                i ->
                    MetadataLocations.nextTableMetadata(
                        table, table.metadataFileLocation(), UUID.randomUUID()))
            .distinct()
            .count();

    assertThat(distinct).isEqualTo(100);
  }

  private static Map<String, String> codecProperty(String key, String codec) {
    Map<String, String> properties = new HashMap<>();
    if (codec != null) {
      properties.put(key, codec);
    }
    return properties;
  }

  private static TableMetadata withProperties(TableMetadata table, Map<String, String> properties) {
    return TableMetadata.buildFrom(table).setProperties(properties).build();
  }

  private static ViewMetadata withProperties(ViewMetadata view, Map<String, String> properties) {
    return ViewMetadata.buildFrom(view).setProperties(properties).build();
  }

  private static String fileName(String location) {
    return location.substring(location.lastIndexOf('/') + 1);
  }
}
