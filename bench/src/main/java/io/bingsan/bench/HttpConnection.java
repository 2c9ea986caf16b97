package io.bingsan.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * One keep-alive HTTP/1.1 connection on a plain blocking socket, for set-up and for the workloads
 * whose operations are more than one request (commits, creates): each of their closed-loop workers
 * owns one, so the generator puts no pool or future chain into the latency it measures.
 */
final class HttpConnection implements AutoCloseable {
  /** Servers close idle connections; reconnecting before that means a POST is never resent. */
  private static final long MAX_IDLE_NANOS = TimeUnit.SECONDS.toNanos(5);

  /** How long a response may take before the request counts as failed. */
  static final int TIMEOUT_MILLIS = 60_000;

  /** A response; the body is empty unless it was asked for, and always decompressed. */
  record Response(int status, String etag, byte[] body) {
    boolean ok() {
      return status / 100 == 2 || status == 304;
    }

    Object json() {
      return Json.parse(new String(body, UTF_8));
    }

    /** The body with only the values at {@code paths} built ({@link Json#parseOnly}). */
    Object jsonOnly(String... paths) {
      return Json.parseOnly(new String(body, UTF_8), paths);
    }

    @Override
    public String toString() {
      String text = new String(body, UTF_8);
      return status + " " + (text.length() > 300 ? text.substring(0, 300) + "…" : text);
    }
  }

  private final HttpTarget target;
  private final ResponseReader reader = new ResponseReader();

  /** Bytes read from the socket and not yet consumed by {@link #reader}. */
  private final ByteBuffer inbound = ByteBuffer.allocate(64 * 1024).limit(0);

  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private long lastUsed;

  HttpConnection(HttpTarget target) {
    this.target = target;
  }

  Response get(String path, boolean keepBody) throws IOException {
    return send("GET", path, null, keepBody);
  }

  Response post(String path, String json, boolean keepBody) throws IOException {
    return send("POST", path, json.getBytes(UTF_8), keepBody);
  }

  private Response send(String method, String path, byte[] body, boolean keepBody)
      throws IOException {
    if (socket == null || System.nanoTime() - lastUsed > MAX_IDLE_NANOS) {
      reconnect();
    }
    try {
      out.write(target.request(method, path, null, body));
      out.flush();
      Response response = readResponse(method, keepBody);
      lastUsed = System.nanoTime();
      return response;
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private void reconnect() throws IOException {
    close();
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(TIMEOUT_MILLIS);
    socket.connect(target.address(), TIMEOUT_MILLIS);
    in = socket.getInputStream();
    out = socket.getOutputStream();
    inbound.limit(0);
  }

  private Response readResponse(String method, boolean keepBody) throws IOException {
    reader.expect(method, keepBody);
    boolean complete = reader.read(inbound);
    while (!complete) {
      int n = in.read(inbound.array(), 0, inbound.capacity());
      if (n < 0) {
        complete = reader.endOfStream();
      } else {
        complete = reader.read(inbound.position(0).limit(n));
      }
    }
    Response response = reader.response();
    if (reader.closeAfter()) {
      close();
    }
    return response;
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // Closing a broken socket fails the same way it broke; nothing is left to release.
      }
      socket = null;
    }
  }
}
