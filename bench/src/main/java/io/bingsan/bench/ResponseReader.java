package io.bingsan.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Reads one HTTP/1.1 response from bytes as they arrive, in pieces of any size: the blocking
 * connection feeds it what each read returns, the event loop what each readable socket holds.
 * Framing by length, by chunks and by the connection's close; bodies are kept only when asked for.
 */
final class ResponseReader {
  /** A header or chunk-size line longer than this is not HTTP from a catalog. */
  private static final int MAX_LINE = 64 * 1024;

  private enum State {
    STATUS_LINE,
    HEADERS,
    BODY,
    CHUNK_SIZE,
    CHUNK,
    CHUNK_END,
    TRAILERS,
    BODY_TO_CLOSE,
    DONE
  }

  private final StringBuilder line = new StringBuilder(64);
  private State state = State.DONE;
  private boolean headRequest;
  private ByteArrayOutputStream kept;
  private int status;
  private String etag;
  private String encoding;
  private boolean chunked;
  private long contentLength;
  private boolean closeAfter;
  private long remaining;

  /** Prepares for the response to a {@code method} request. */
  void expect(String method, boolean keepBody) {
    state = State.STATUS_LINE;
    headRequest = method.equals("HEAD");
    kept = keepBody ? new ByteArrayOutputStream() : null;
    line.setLength(0);
    etag = null;
    encoding = null;
    chunked = false;
    contentLength = -1;
  }

  /**
   * Consumes the response's bytes from {@code input}: true once the response is complete, with
   * any bytes after it left in {@code input}; false when every byte was consumed short of its end.
   */
  boolean read(ByteBuffer input) throws IOException {
    while (state != State.DONE && input.hasRemaining()) {
      switch (state) {
        case BODY, CHUNK -> consumeBody(input);
        case BODY_TO_CLOSE -> consume(input, input.remaining());
        default -> {
          if (readLine(input)) {
            onLine(line.toString());
            line.setLength(0);
          }
        }
      }
    }
    return state == State.DONE;
  }

  /** The server closed the connection: true if that ends the response, else it was cut short. */
  boolean endOfStream() throws EOFException {
    if (state == State.BODY_TO_CLOSE) {
      state = State.DONE;
      return true;
    }
    throw new EOFException(
        state == State.STATUS_LINE && line.isEmpty()
            ? "Connection closed by the server"
            : "Connection closed inside a response");
  }

  /** Whether the server will close the connection after this response. */
  boolean closeAfter() {
    return closeAfter;
  }

  int status() {
    return status;
  }

  /** The complete response, its kept body decompressed. */
  HttpConnection.Response response() throws IOException {
    byte[] body = kept == null ? new byte[0] : kept.toByteArray();
    if (kept != null && "gzip".equals(encoding) && body.length > 0) {
      try (InputStream gunzip = new GZIPInputStream(new ByteArrayInputStream(body))) {
        body = gunzip.readAllBytes();
      }
    }
    return new HttpConnection.Response(status, etag, body);
  }

  /** Appends to {@link #line} up to a line feed: true once the line is whole, without its CRLF. */
  private boolean readLine(ByteBuffer input) throws IOException {
    while (input.hasRemaining()) {
      char c = (char) (input.get() & 0xff);
      if (c == '\n') {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
          line.setLength(end - 1);
        }
        return true;
      }
      if (line.length() == MAX_LINE) {
        throw new IOException("A response line longer than " + MAX_LINE + " bytes");
      }
      line.append(c);
    }
    return false;
  }

  private void onLine(String text) throws IOException {
    switch (state) {
      case STATUS_LINE -> {
        if (text.length() < 12 || !text.startsWith("HTTP/1.")) {
          throw new IOException("Not an HTTP/1.x status line: " + text);
        }
        status = Integer.parseInt(text.substring(9, 12));
        closeAfter = text.startsWith("HTTP/1.0");
        state = State.HEADERS;
      }
      case HEADERS -> {
        if (text.isEmpty()) {
          state = bodyState();
        } else {
          header(text);
        }
      }
      case CHUNK_SIZE -> {
        int extension = text.indexOf(';');
        remaining = Long.parseLong((extension < 0 ? text : text.substring(0, extension)).trim(), 16);
        state = remaining == 0 ? State.TRAILERS : State.CHUNK;
      }
      case CHUNK_END -> state = State.CHUNK_SIZE;
      case TRAILERS -> {
        if (text.isEmpty()) {
          state = State.DONE;
        }
      }
      default -> throw new IllegalStateException("No line expected in state " + state);
    }
  }

  private void header(String text) throws IOException {
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new IOException("Not a header line: " + text);
    }
    String name = text.substring(0, colon).trim().toLowerCase(Locale.ROOT);
    String value = text.substring(colon + 1).trim();
    switch (name) {
      case "content-length" -> contentLength = Long.parseLong(value);
      case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
      case "connection" -> closeAfter = value.equalsIgnoreCase("close");
      case "etag" -> etag = value;
      case "content-encoding" -> encoding = value.toLowerCase(Locale.ROOT);
      default -> {}
    }
  }

  private State bodyState() {
    boolean hasBody = !headRequest && status != 204 && status != 304 && status >= 200;
    if (!hasBody) {
      return State.DONE;
    }
    if (chunked) {
      return State.CHUNK_SIZE;
    }
    if (contentLength >= 0) {
      remaining = contentLength;
      return remaining == 0 ? State.DONE : State.BODY;
    }
    closeAfter = true;
    return State.BODY_TO_CLOSE;
  }

  private void consumeBody(ByteBuffer input) {
    int n = (int) Math.min(remaining, input.remaining());
    consume(input, n);
    remaining -= n;
    if (remaining == 0) {
      state = state == State.BODY ? State.DONE : State.CHUNK_END;
    }
  }

  private void consume(ByteBuffer input, int n) {
    if (kept != null) {
      kept.write(input.array(), input.arrayOffset() + input.position(), n);
    }
    input.position(input.position() + n);
  }
}
