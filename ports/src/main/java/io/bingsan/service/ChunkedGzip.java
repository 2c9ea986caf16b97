package io.bingsan.service;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Gzip of a body whose long runs recur in the next versions of it (a table's snapshots and
 * snapshot log): each such chunk is deflated once, alone, and its blocks copied into every later
 * body that holds it; only the bytes around the chunks are deflated per body. A full flush ends
 * the blocks of each part on a byte boundary with nothing referring back past it, so parts
 * deflated apart may follow one another in one stream. The CRC covers every byte each time; the
 * JDK computes it many times faster than deflate.
 */
public final class ChunkedGzip {
  private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, -1};
  // Deflate's output chunk; fewer native calls than the default 512 bytes.
  private static final int BUFFER_BYTES = 64 * 1024;

  private static final LongAdder deflatedBytes = new LongAdder();

  private ChunkedGzip() {}

  /** Bytes {@code [start, end)} of a body, deflated once into {@code deflated} for all bodies. */
  public record Chunk(int start, int end, Deflated deflated) {
    /** The same chunk in a body that has {@code offset} more bytes ahead of it. */
    public Chunk shifted(int offset) {
      return new Chunk(start + offset, end + offset, deflated);
    }
  }

  /**
   * The deflate blocks of a chunk's bytes, made by the first gzip that needs them. Two first
   * needs may both deflate; either result serves.
   */
  public static final class Deflated {
    private volatile byte[] blocks;

    private byte[] blocks(byte[] body, Chunk chunk, int level) {
      byte[] made = blocks;
      if (made == null) {
        Deflater deflater = new Deflater(level, true);
        try {
          ByteArrayOutputStream out = new ByteArrayOutputStream((chunk.end() - chunk.start()) / 8);
          deflate(deflater, body, chunk.start(), chunk.end(), false, out, new byte[BUFFER_BYTES]);
          made = out.toByteArray();
        } finally {
          deflater.end();
        }
        blocks = made;
      }
      return made;
    }
  }

  /**
   * The gzip form of {@code body}.
   *
   * @param chunks runs of the body in order, apart, whose deflated blocks are kept and reused
   */
  public static byte[] gzip(byte[] body, List<Chunk> chunks, int level) {
    // JSON of table metadata shrinks to about a tenth.
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 8 + 64);
    out.writeBytes(HEADER);
    Deflater around = new Deflater(level, true);
    byte[] buffer = new byte[BUFFER_BYTES];
    try {
      int at = 0;
      for (Chunk chunk : chunks) {
        if (chunk.start() > at) {
          deflate(around, body, at, chunk.start(), false, out, buffer);
        }
        out.writeBytes(chunk.deflated().blocks(body, chunk, level));
        at = chunk.end();
      }
      deflate(around, body, at, body.length, true, out, buffer);
    } finally {
      around.end();
    }
    CRC32 crc = new CRC32();
    crc.update(body);
    writeIntLittleEndian(out, (int) crc.getValue());
    writeIntLittleEndian(out, body.length);
    return out.toByteArray();
  }

  /** Bytes given to deflate so far, chunks and the bytes around them; for tests. */
  static long deflatedBytes() {
    return deflatedBytes.sum();
  }

  /**
   * Deflates {@code body[from, to)} into {@code out}, ending the stream if {@code last}, else with
   * a full flush.
   */
  private static void deflate(
      Deflater deflater,
      byte[] body,
      int from,
      int to,
      boolean last,
      ByteArrayOutputStream out,
      byte[] buffer) {
    deflatedBytes.add(to - from);
    deflater.setInput(body, from, to - from);
    if (last) {
      deflater.finish();
    }
    int flush = last ? Deflater.NO_FLUSH : Deflater.FULL_FLUSH;
    while (true) {
      int written = deflater.deflate(buffer, 0, buffer.length, flush);
      out.write(buffer, 0, written);
      // A flush is complete once it leaves room in the buffer; a finish once the stream ends.
      if (last ? deflater.finished() : written < buffer.length) {
        return;
      }
    }
  }

  private static void writeIntLittleEndian(ByteArrayOutputStream out, int value) {
    for (int shift = 0; shift < 32; shift += 8) {
      out.write(value >>> shift);
    }
  }
}
