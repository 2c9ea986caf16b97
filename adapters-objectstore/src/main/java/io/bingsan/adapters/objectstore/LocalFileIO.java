package io.bingsan.adapters.objectstore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.io.SeekableInputStream;

/**
 * {@link FileIO} for {@code file:} locations and plain absolute paths, without Hadoop. Files keep
 * the location they were asked for, so metadata read back names itself exactly as the catalog
 * recorded it. A written file is on disk, its directory entry too, once its stream is closed: the
 * catalog publishes a metadata file's location only after that, so a crash cannot leave an
 * acknowledged commit pointing at a file the disk never got.
 */
public final class LocalFileIO implements FileIO {
  private static final long serialVersionUID = 1L;

  @Override
  public InputFile newInputFile(String location) {
    return new LocalFile(location);
  }

  @Override
  public OutputFile newOutputFile(String location) {
    return new LocalFile(location);
  }

  @Override
  public void deleteFile(String location) {
    try {
      Files.deleteIfExists(toPath(location));
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to delete " + location, e);
    }
  }

  /** Creates the folder and its parents; an existing folder is fine. */
  public void createFolder(String location) {
    try {
      Files.createDirectories(toPath(location));
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to create folder " + location, e);
    }
  }

  @Override
  public Map<String, String> properties() {
    return Map.of();
  }

  /** The filesystem path of a {@code file:} URI ({@code file:/a}, {@code file:///a}) or path. */
  static Path toPath(String location) {
    return Path.of(localPath(location));
  }

  /**
   * {@link #toPath}'s path as a string: one leading slash. Every load checks that its metadata file
   * exists, so the usual forms ({@code /a}, {@code file:/a}) cost at most one copy.
   */
  static String localPath(String location) {
    int start = location.startsWith("file:") ? "file:".length() : 0;
    int slashes = 0;
    while (start + slashes < location.length() && location.charAt(start + slashes) == '/') {
      slashes++;
    }
    return slashes == 0
        ? "/" + location.substring(start)
        : location.substring(start + slashes - 1);
  }

  private static final class LocalFile implements InputFile, OutputFile {
    private final String location;
    private final java.io.File file;

    private LocalFile(String location) {
      this.location = location;
      this.file = new java.io.File(localPath(location));
    }

    @Override
    public long getLength() {
      return org.apache.iceberg.Files.localInput(file).getLength();
    }

    @Override
    public SeekableInputStream newStream() {
      return org.apache.iceberg.Files.localInput(file).newStream();
    }

    @Override
    public boolean exists() {
      return file.exists();
    }

    @Override
    public PositionOutputStream create() {
      return SyncedFileOutputStream.open(file.toPath(), location, false);
    }

    @Override
    public PositionOutputStream createOrOverwrite() {
      return SyncedFileOutputStream.open(file.toPath(), location, true);
    }

    @Override
    public InputFile toInputFile() {
      return this;
    }

    @Override
    public String location() {
      return location;
    }

    @Override
    public String toString() {
      return location;
    }
  }
}
