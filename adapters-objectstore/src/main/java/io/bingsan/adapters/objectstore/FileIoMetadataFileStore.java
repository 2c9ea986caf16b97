package io.bingsan.adapters.objectstore;

import static java.util.Objects.requireNonNull;

import io.bingsan.ports.out.MetadataFileStore;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.TableMetadataParser.Codec;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.exceptions.RuntimeIOException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.view.ViewMetadata;
import org.apache.iceberg.view.ViewMetadataParser;

/**
 * Metadata files through Iceberg's own parsers and {@link FileIO}s, chosen by the location's
 * scheme, so the files are byte-for-byte what Iceberg's catalogs write.
 */
public final class FileIoMetadataFileStore implements MetadataFileStore {
  private final Map<String, FileIO> ioByScheme;

  /**
   * @param ioByScheme the FileIO for each scheme ({@code file}, {@code s3}, {@code gs} …); plain
   *     absolute paths use {@code file}
   */
  public FileIoMetadataFileStore(Map<String, FileIO> ioByScheme) {
    this.ioByScheme = Map.copyOf(requireNonNull(ioByScheme, "ioByScheme is null"));
  }

  /** The bytes of Iceberg's own {@code TableMetadataParser.write}: compact JSON, gzip by name. */
  @Override
  public void writeTableJson(byte[] utf8Json, String location) {
    boolean gzip = Codec.fromFileName(location) == Codec.GZIP;
    OutputStream file = io(location).newOutputFile(location).create();
    // Closed once, through the wrapper: some FileIO streams publish the file again on every close.
    try (OutputStream out = gzip ? new GZIPOutputStream(file) : file) {
      out.write(utf8Json);
    } catch (IOException e) {
      throw new RuntimeIOException(e, "Failed to write metadata file: %s", location);
    }
  }

  @Override
  public TableMetadata readTable(String location) {
    FileIO io = io(location);
    requireExists(io, location);
    return TableMetadataParser.read(io, location);
  }

  @Override
  public void writeView(ViewMetadata metadata, String location) {
    ViewMetadataParser.write(metadata, io(location).newOutputFile(location));
  }

  @Override
  public ViewMetadata readView(String location) {
    FileIO io = io(location);
    requireExists(io, location);
    return ViewMetadataParser.read(io.newInputFile(location));
  }

  @Override
  public void prepareFolder(String location) {
    if (io(location) instanceof LocalFileIO local) {
      local.createFolder(location);
    }
  }

  @Override
  public boolean exists(String location) {
    return io(location).newInputFile(location).exists();
  }

  @Override
  public void delete(String location) {
    io(location).deleteFile(location);
  }

  @Override
  public void purgeTable(TableMetadata metadata) {
    CatalogUtil.dropTableData(io(metadata.metadataFileLocation()), metadata);
  }

  private void requireExists(FileIO io, String location) {
    if (!exists(location)) {
      throw new NotFoundException("Metadata file does not exist: %s", location);
    }
  }

  private FileIO io(String location) {
    int colon = location.indexOf(':');
    String scheme =
        location.startsWith("/") || colon < 0
            ? "file"
            : location.substring(0, colon).toLowerCase(Locale.ROOT);
    FileIO io = ioByScheme.get(scheme);
    if (io == null) {
      throw new BadRequestException("Unsupported storage scheme in location: %s", location);
    }
    return io;
  }
}
