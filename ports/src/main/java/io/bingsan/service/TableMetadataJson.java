package io.bingsan.service;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotParser;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.util.JsonUtil;

/**
 * Table metadata as the UTF-8 bytes of Iceberg's {@link TableMetadataParser}: a commit serializes
 * once, straight to bytes, for its file and its answer alike.
 *
 * <p>Snapshots are immutable and a commit keeps nearly all of them, so each snapshot's JSON is
 * generated once and copied into every later version that holds the same snapshot; generating them
 * all again made up most of a commit's serialization on a table with history. The parser itself
 * still drives the document, so the bytes are exactly its own.
 */
public final class TableMetadataJson {
  // The parser's name for the metadata's snapshot list.
  private static final String SNAPSHOTS_FIELD = "snapshots";

  private final Cache<Snapshot, byte[]> snapshotJson;

  /**
   * @param maxSnapshotBytes bound of the snapshots' JSON kept; an entry also goes once no metadata
   *     holds its snapshot (weak, identity-compared keys)
   */
  public TableMetadataJson(long maxSnapshotBytes) {
    this.snapshotJson =
        Caffeine.newBuilder()
            .weakKeys()
            .maximumWeight(maxSnapshotBytes)
            .<Snapshot, byte[]>weigher((snapshot, json) -> json.length)
            .build();
  }

  public byte[] utf8(TableMetadata metadata) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try (JsonGenerator generator = JsonUtil.factory().createGenerator(out)) {
      SnapshotReuse reuse = new SnapshotReuse(generator, out, metadata.snapshots());
      TableMetadataParser.toJson(metadata, reuse);
      reuse.requireAllCopied();
    } catch (IOException e) {
      throw new UncheckedIOException("In-memory serialization cannot fail", e);
    }
    return out.toByteArray();
  }

  /** How many snapshots' JSON is kept. */
  long keptSnapshots() {
    snapshotJson.cleanUp();
    return snapshotJson.estimatedSize();
  }

  private byte[] json(Snapshot snapshot) {
    return snapshotJson.get(
        snapshot,
        generated -> SnapshotParser.toJson(generated, false).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Passes the parser's output through, except each object of the top-level snapshot list: there
   * it copies that snapshot's stored JSON and sends the parser's calls for the object to a
   * generator whose output is discarded, until the object ends. The parser writes the snapshots in
   * {@link TableMetadata#snapshots()} order.
   */
  private final class SnapshotReuse extends JsonGeneratorDelegate {
    private final JsonGenerator document;
    private final OutputStream out;
    private final List<Snapshot> snapshots;
    private final JsonGenerator discarded;
    private int copied;

    SnapshotReuse(JsonGenerator document, OutputStream out, List<Snapshot> snapshots)
        throws IOException {
      super(document, false);
      this.document = document;
      this.out = out;
      this.snapshots = snapshots;
      this.discarded = JsonUtil.factory().createGenerator(OutputStream.nullOutputStream());
    }

    @Override
    public void writeStartObject() throws IOException {
      if (!copiedSnapshot()) {
        super.writeStartObject();
      }
    }

    @Override
    public void writeStartObject(Object forValue) throws IOException {
      if (!copiedSnapshot()) {
        super.writeStartObject(forValue);
      }
    }

    @Override
    public void writeStartObject(Object forValue, int size) throws IOException {
      if (!copiedSnapshot()) {
        super.writeStartObject(forValue, size);
      }
    }

    @Override
    public void writeEndObject() throws IOException {
      super.writeEndObject();
      if (delegate == discarded && discarded.getOutputContext().inRoot()) {
        delegate = document;
      }
    }

    private boolean copiedSnapshot() throws IOException {
      if (delegate != document || !inTopLevelSnapshotList(document.getOutputContext())) {
        return false;
      }
      byte[] json = json(snapshots.get(copied++));
      // An empty raw value makes the generator write the separator; the bytes go after it.
      document.writeRawValue("");
      document.flush();
      out.write(json);
      delegate = discarded;
      discarded.writeStartObject();
      return true;
    }

    private static boolean inTopLevelSnapshotList(JsonStreamContext context) {
      JsonStreamContext object = context.getParent();
      return context.inArray()
          && object != null
          && object.getParent() != null
          && object.getParent().inRoot()
          && SNAPSHOTS_FIELD.equals(object.getCurrentName());
    }

    void requireAllCopied() {
      if (copied != snapshots.size()) {
        throw new IllegalStateException(
            "Copied " + copied + " of " + snapshots.size() + " snapshots into the metadata JSON");
      }
    }
  }
}
