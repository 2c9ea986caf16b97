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
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.util.JsonUtil;

/**
 * Table metadata as the UTF-8 bytes of Iceberg's {@link TableMetadataParser}: a commit serializes
 * once, straight to bytes, for its file and its answer alike.
 *
 * <p>A table's long lists (snapshots, snapshot log, metadata log) hold immutable entries, and a
 * new version keeps a run of the last one's and adds a few. So the JSON of each list is kept per
 * table and the next version copies the run it shares with it; the parser only writes the entries
 * that are new. Writing every entry again was most of a commit's serialization on a table with
 * history. The parser drives the whole document, so the bytes are exactly its own.
 *
 * <p>The same holds for their gzip form: each list is cut into chunks of whole entries, the same
 * cuts in every version that keeps the list's first entries, and a chunk is deflated once for all
 * of them ({@link ChunkedGzip}).
 */
public final class TableMetadataJson {
  /** Bytes of list entries per chunk deflated on its own; less would cost compression. */
  private static final int CHUNK_BYTES = 32 * 1024;
  // A table's key, maps and records: weighed so that tables with empty lists are bounded too.
  private static final int TABLE_OVERHEAD_BYTES = 512;

  /** A table's metadata JSON and the chunks its gzip form may reuse, in document order. */
  public record Serialized(byte[] utf8, List<ChunkedGzip.Chunk> chunks) {}

  /** Entries up to {@code endEntry} (from the end of the chunk before), deflated once. */
  private record EntryChunk(int endEntry, ChunkedGzip.Deflated deflated) {}

  /** The lists kept, by the parser's field names. */
  private static final List<String> LIST_FIELDS =
      List.of("snapshots", "snapshot-log", "metadata-log");

  private static List<?> entries(TableMetadata metadata, String field) {
    return switch (field) {
      case "snapshots" -> metadata.snapshots();
      case "snapshot-log" -> metadata.snapshotLog();
      case "metadata-log" -> metadata.previousFiles();
      default -> throw new IllegalArgumentException("Not a kept list: " + field);
    };
  }

  /**
   * A list as one version wrote it: its entries, the JSON between its brackets, and where each
   * entry's JSON ends in it.
   */
  private record WrittenList(List<?> entries, byte[] json, int[] ends, List<EntryChunk> chunks) {
    /** The run of this list's entries that {@code next} starts with (the same objects). */
    Run runStarting(List<?> next) {
      if (next.isEmpty()) {
        return Run.NONE;
      }
      int from = 0;
      while (from < entries.size() && entries.get(from) != next.get(0)) {
        from++;
      }
      int length = 0;
      while (from + length < entries.size()
          && length < next.size()
          && entries.get(from + length) == next.get(length)) {
        length++;
      }
      return new Run(from, length);
    }
  }

  /** Where entry {@code index} starts, given where each ends: after the comma after the last. */
  private static int entryStart(int[] ends, int index) {
    return index == 0 ? 0 : ends[index - 1] + 1;
  }

  /** Entries {@code from} to {@code from + length} of a written list. */
  private record Run(int from, int length) {
    static final Run NONE = new Run(0, 0);
  }

  private final Cache<String, Map<String, WrittenList>> lastWritten;
  private final LongAdder writtenEntries = new LongAdder();
  private final int chunkBytes;

  /** @param maxBytes bound of the lists' JSON kept, over all tables */
  public TableMetadataJson(long maxBytes) {
    this(maxBytes, CHUNK_BYTES);
  }

  TableMetadataJson(long maxBytes, int chunkBytes) {
    this.chunkBytes = chunkBytes;
    // Deflated chunks, a tenth of their JSON or so, are weighed as a quarter.
    this.lastWritten =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .<String, Map<String, WrittenList>>weigher(
                (uuid, lists) -> TABLE_OVERHEAD_BYTES + listBytes(lists.values()) * 5 / 4)
            .build();
  }

  public Serialized serialize(TableMetadata metadata) {
    Map<String, WrittenList> last =
        metadata.uuid() == null ? null : lastWritten.getIfPresent(metadata.uuid());
    ByteArrayOutputStream out = new ByteArrayOutputStream(estimatedSize(last));
    ListSplice splice;
    try (JsonGenerator generator = JsonUtil.factory().createGenerator(out)) {
      splice = new ListSplice(generator, out, metadata, last == null ? Map.of() : last);
      TableMetadataParser.toJson(metadata, splice);
    } catch (IOException e) {
      throw new UncheckedIOException("In-memory serialization cannot fail", e);
    }
    byte[] json = out.toByteArray();
    if (metadata.uuid() != null) {
      lastWritten.put(metadata.uuid(), splice.written(json));
    }
    return new Serialized(json, splice.chunks());
  }

  private static int listBytes(Collection<WrittenList> lists) {
    return lists.stream().mapToInt(list -> list.json().length).sum();
  }

  /** How many tables' lists are kept; for tests. */
  long keptTables() {
    lastWritten.cleanUp();
    return lastWritten.estimatedSize();
  }

  /** How many list entries the parser has written (not copied). */
  long writtenEntries() {
    return writtenEntries.sum();
  }

  private static int estimatedSize(Map<String, WrittenList> last) {
    return (last == null ? 0 : listBytes(last.values())) + 16 * 1024;
  }

  /** One kept list while the document is written. */
  private static final class ListRecording {
    final String field;
    final List<?> entries;
    final int[] ends;
    final int shared;
    final List<EntryChunk> chunks;
    int start;
    int end;
    int next;

    ListRecording(String field, List<?> entries, int shared, List<EntryChunk> chunks) {
      this.field = field;
      this.entries = entries;
      this.ends = new int[entries.size()];
      this.shared = shared;
      this.chunks = chunks;
    }

    /** Cuts the entries after the last chunk into chunks of at least {@code bytes}. */
    void cutChunks(int bytes) {
      int from = chunks.isEmpty() ? 0 : chunks.getLast().endEntry();
      for (int entry = from; entry < ends.length; entry++) {
        if (ends[entry] - entryStart(ends, from) >= bytes) {
          chunks.add(new EntryChunk(entry + 1, new ChunkedGzip.Deflated()));
          from = entry + 1;
        }
      }
    }
  }

  /**
   * Passes the parser's output through, except in a kept list: there it copies the run of entries
   * the last version shares and drops the parser's calls for them, then passes the new entries
   * through and records where each ends. Calls it does not drop itself go, while dropping, to a
   * generator whose output is discarded. Every entry of these lists is a JSON object.
   */
  private final class ListSplice extends JsonGeneratorDelegate {
    private final JsonGenerator document;
    private final ByteArrayOutputStream out;
    private final TableMetadata metadata;
    private final Map<String, WrittenList> last;
    private final JsonGenerator discarded;
    // In document order, as the chunks must be.
    private final Map<String, ListRecording> recorded = new LinkedHashMap<>();
    private ListRecording list;
    // Open objects and arrays of the current list entry; 0 between entries.
    private int entryDepth;
    private boolean dropping;

    ListSplice(
        JsonGenerator document,
        ByteArrayOutputStream out,
        TableMetadata metadata,
        Map<String, WrittenList> last)
        throws IOException {
      super(document, false);
      this.document = document;
      this.out = out;
      this.metadata = metadata;
      this.last = last;
      this.discarded = JsonUtil.factory().createGenerator(OutputStream.nullOutputStream());
    }

    /** The lists as this document wrote them, for the next version. */
    Map<String, WrittenList> written(byte[] json) {
      Map<String, WrittenList> written = new HashMap<>();
      recorded.forEach(
          (field, recording) -> {
            if (recording.next != recording.entries.size()) {
              throw new IllegalStateException(
                  "Wrote %d of %d entries of %s"
                      .formatted(recording.next, recording.entries.size(), field));
            }
            written.put(
                field,
                new WrittenList(
                    recording.entries,
                    Arrays.copyOfRange(json, recording.start, recording.end),
                    recording.ends,
                    List.copyOf(recording.chunks)));
          });
      return Map.copyOf(written);
    }

    /** The lists' chunks where they lie in the document. */
    List<ChunkedGzip.Chunk> chunks() {
      List<ChunkedGzip.Chunk> chunks = new ArrayList<>();
      for (ListRecording recording : recorded.values()) {
        int from = 0;
        for (EntryChunk chunk : recording.chunks) {
          chunks.add(
              new ChunkedGzip.Chunk(
                  recording.start + entryStart(recording.ends, from),
                  recording.start + recording.ends[chunk.endEntry() - 1],
                  chunk.deflated()));
          from = chunk.endEntry();
        }
      }
      return chunks;
    }

    private void startList(String field) throws IOException {
      List<?> entries = entries(metadata, field);
      WrittenList previous = last.get(field);
      Run run = previous == null ? Run.NONE : previous.runStarting(entries);
      // A list that starts as it did keeps its cuts, and the chunks they hold keep their blocks.
      List<EntryChunk> chunks = new ArrayList<>();
      if (run.length() > 0 && run.from() == 0) {
        previous.chunks().stream()
            .takeWhile(chunk -> chunk.endEntry() <= run.length())
            .forEach(chunks::add);
      }
      ListRecording recording = new ListRecording(field, entries, run.length(), chunks);
      document.flush();
      recording.start = out.size();
      if (run.length() > 0) {
        int from = entryStart(previous.ends(), run.from());
        out.write(previous.json(), from, previous.ends()[run.from() + run.length() - 1] - from);
        for (int i = 0; i < run.length(); i++) {
          recording.ends[i] = previous.ends()[run.from() + i] - from;
        }
      }
      recorded.put(field, recording);
      list = recording;
    }

    private static boolean isKeptListField(JsonStreamContext object) {
      return object != null
          && object.inObject()
          && object.getParent() != null
          && object.getParent().inRoot()
          && LIST_FIELDS.contains(object.getCurrentName());
    }

    /** Before a start of an object or array; whether the parser's call is dropped. */
    private boolean dropsStart(boolean object) throws IOException {
      if (list == null) {
        return false;
      }
      if (entryDepth == 0) {
        if (!object) {
          throw new IllegalStateException("An entry of " + list.field + " is not an object");
        }
        dropping = list.next < list.shared;
        delegate = dropping ? discarded : document;
        if (!dropping && list.next == list.shared && list.shared > 0) {
          // The generator has not seen the copied entries, so it writes no comma after them.
          document.flush();
          out.write(',');
        }
      }
      entryDepth++;
      return dropping;
    }

    /** Before an end of an object or array inside a list entry; whether the call is dropped. */
    private boolean dropsEnd() {
      if (list == null) {
        return false;
      }
      if (entryDepth == 0) {
        throw new IllegalStateException("An entry of " + list.field + " is not an object");
      }
      entryDepth--;
      return dropping;
    }

    /** After an end went through or was dropped: records the entry it may have ended. */
    private void afterEnd() throws IOException {
      if (list == null || entryDepth > 0) {
        return;
      }
      if (!dropping) {
        document.flush();
        list.ends[list.next] = out.size() - list.start;
        writtenEntries.increment();
      }
      list.next++;
      dropping = false;
      delegate = document;
    }

    private void startArray(Write start) throws IOException {
      if (!dropsStart(false)) {
        start.write();
      }
      if (list == null && isKeptListField(document.getOutputContext().getParent())) {
        startList(document.getOutputContext().getParent().getCurrentName());
      }
    }

    private void startObject(Write start) throws IOException {
      if (!dropsStart(true)) {
        start.write();
      }
    }

    @Override
    public void writeEndArray() throws IOException {
      if (list != null && entryDepth == 0) {
        document.flush();
        list.end = out.size();
        list.cutChunks(chunkBytes);
        list = null;
        super.writeEndArray();
        return;
      }
      if (!dropsEnd()) {
        super.writeEndArray();
      }
      afterEnd();
    }

    @Override
    public void writeEndObject() throws IOException {
      if (!dropsEnd()) {
        super.writeEndObject();
      }
      afterEnd();
    }

    @Override
    public void writeStartArray() throws IOException {
      startArray(super::writeStartArray);
    }

    @Override
    public void writeStartArray(int size) throws IOException {
      startArray(() -> super.writeStartArray(size));
    }

    @Override
    public void writeStartArray(Object forValue) throws IOException {
      startArray(() -> super.writeStartArray(forValue));
    }

    @Override
    public void writeStartArray(Object forValue, int size) throws IOException {
      startArray(() -> super.writeStartArray(forValue, size));
    }

    @Override
    public void writeStartObject() throws IOException {
      startObject(super::writeStartObject);
    }

    @Override
    public void writeStartObject(Object forValue) throws IOException {
      startObject(() -> super.writeStartObject(forValue));
    }

    @Override
    public void writeStartObject(Object forValue, int size) throws IOException {
      startObject(() -> super.writeStartObject(forValue, size));
    }

    /** Whether a value or name is dropped; between a list's entries there are none. */
    private boolean dropsValue() {
      if (list != null && entryDepth == 0) {
        throw new IllegalStateException("An entry of " + list.field + " is not an object");
      }
      return dropping;
    }

    // The values the parser writes, dropped without the discarding generator encoding them.

    @Override
    public void writeFieldName(String name) throws IOException {
      if (!dropsValue()) {
        super.writeFieldName(name);
      }
    }

    @Override
    public void writeString(String text) throws IOException {
      if (!dropsValue()) {
        super.writeString(text);
      }
    }

    @Override
    public void writeNumber(int value) throws IOException {
      if (!dropsValue()) {
        super.writeNumber(value);
      }
    }

    @Override
    public void writeNumber(long value) throws IOException {
      if (!dropsValue()) {
        super.writeNumber(value);
      }
    }

    @Override
    public void writeNumber(BigInteger value) throws IOException {
      if (!dropsValue()) {
        super.writeNumber(value);
      }
    }

    @Override
    public void writeNumber(BigDecimal value) throws IOException {
      if (!dropsValue()) {
        super.writeNumber(value);
      }
    }

    @Override
    public void writeBoolean(boolean state) throws IOException {
      if (!dropsValue()) {
        super.writeBoolean(state);
      }
    }

    @Override
    public void writeNull() throws IOException {
      if (!dropsValue()) {
        super.writeNull();
      }
    }
  }

  /** A call passed on to the generator. */
  @FunctionalInterface
  private interface Write {
    void write() throws IOException;
  }
}
