package io.bingsan.adapters.objectstore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.io.PositionOutputStream;

/**
 * A local file written through its channel; closing it forces the content and then the new
 * directory entry to disk before it returns.
 */
final class SyncedFileOutputStream extends PositionOutputStream {
  private final FileChannel channel;
  private final Path path;
  private long position;
  private boolean closed;

  private SyncedFileOutputStream(FileChannel channel, Path path) {
    this.channel = channel;
    this.path = path;
  }

  /**
   * Opens {@code path} for writing, creating its folders.
   *
   * @param overwrite replace an existing file; otherwise one is an {@link AlreadyExistsException}
   */
  static SyncedFileOutputStream open(Path path, String location, boolean overwrite) {
    try {
      Files.createDirectories(path.getParent());
      FileChannel channel =
          overwrite
              ? FileChannel.open(
                  path,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.TRUNCATE_EXISTING,
                  StandardOpenOption.WRITE)
              : FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      return new SyncedFileOutputStream(channel, path);
    } catch (FileAlreadyExistsException e) {
      throw new AlreadyExistsException(e, "Location already exists: %s", location);
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to create " + location, e);
    }
  }

  @Override
  public long getPos() {
    return position;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    position += length;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try (channel) {
      channel.force(true);
    }
    try (FileChannel folder = FileChannel.open(path.getParent(), StandardOpenOption.READ)) {
      folder.force(true);
    }
  }
}
