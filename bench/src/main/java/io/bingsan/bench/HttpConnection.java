package io.bingsan.bench;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * One keep-alive HTTP/1.1 connection on a plain socket. Each closed-loop worker owns one, so the
 * generator puts no pool, selector thread or future chain into the latency it measures, and its own
 * CPU use stays small on a machine it shares with the server.
 */
final class HttpConnection implements AutoCloseable {
  /** Servers close idle connections; reconnecting before that means a POST is never resent. */
  private static final long MAX_IDLE_NANOS = TimeUnit.SECONDS.toNanos(5);

  private static final int TIMEOUT_MILLIS = 60_000;

  /** A response; the body is empty unless it was asked for, and always decompressed. */
  record Response(int status, String etag, byte[] body) {
    boolean ok() {
      return status / 100 == 2 || status == 304;
    }

    Object json() {
      return Json.parse(new String(body, UTF_8));
    }

    @Override
    public String toString() {
      String text = new String(body, UTF_8);
      return status + " " + (text.length() > 300 ? text.substring(0, 300) + "…" : text);
    }
  }

  private final InetSocketAddress address;
  private final String fixedHeaders;
  private final byte[] scratch = new byte[64 * 1024];
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private long lastUsed;

  /**
   * @param gzip whether to send {@code Accept-Encoding: gzip}, as Iceberg's Java client and
   *     PyIceberg do; a server that honours it pays for compression on every response
   */
  HttpConnection(URI url, boolean gzip) {
    this.address = new InetSocketAddress(requireLoopback(url.getHost()), url.getPort());
    this.fixedHeaders =
        "Host: "
            + url.getHost()
            + ':'
            + url.getPort()
            + "\r\nAccept: application/json\r\nUser-Agent: bingsan-bench\r\n"
            + (gzip ? "Accept-Encoding: gzip\r\n" : "");
  }

  /** The load generator never sends traffic off this machine. */
  static InetAddress requireLoopback(String host) {
    try {
      InetAddress resolved = InetAddress.getByName(host);
      if (!resolved.isLoopbackAddress()) {
        throw new IllegalArgumentException("Only loopback targets are allowed, not " + host);
      }
      return resolved;
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("Unknown host " + host, e);
    }
  }

  Response get(String target, boolean keepBody) throws IOException {
    return send("GET", target, null, null, keepBody);
  }

  Response post(String target, String json, boolean keepBody) throws IOException {
    return send("POST", target, null, json.getBytes(UTF_8), keepBody);
  }

  Response send(String method, String target, String ifNoneMatch, byte[] body, boolean keepBody)
      throws IOException {
    if (socket == null || System.nanoTime() - lastUsed > MAX_IDLE_NANOS) {
      reconnect();
    }
    try {
      writeRequest(method, target, ifNoneMatch, body);
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
    socket.connect(address, TIMEOUT_MILLIS);
    in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
  }

  private void writeRequest(String method, String target, String ifNoneMatch, byte[] body)
      throws IOException {
    StringBuilder head = new StringBuilder(256);
    head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n").append(fixedHeaders);
    if (ifNoneMatch != null) {
      head.append("If-None-Match: ").append(ifNoneMatch).append("\r\n");
    }
    if (body != null) {
      head.append("Content-Type: application/json\r\nContent-Length: ")
          .append(body.length)
          .append("\r\n");
    }
    out.write(head.append("\r\n").toString().getBytes(ISO_8859_1));
    if (body != null) {
      out.write(body);
    }
    out.flush();
  }

  private Response readResponse(String method, boolean keepBody) throws IOException {
    String statusLine = readLine();
    int status = Integer.parseInt(statusLine.substring(9, 12));
    long contentLength = -1;
    boolean chunked = false;
    boolean closeAfter = statusLine.startsWith("HTTP/1.0");
    String etag = null;
    String encoding = null;
    for (String line = readLine(); !line.isEmpty(); line = readLine()) {
      int colon = line.indexOf(':');
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      switch (name) {
        case "content-length" -> contentLength = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        case "connection" -> closeAfter = value.equalsIgnoreCase("close");
        case "etag" -> etag = value;
        case "content-encoding" -> encoding = value.toLowerCase(Locale.ROOT);
        default -> {}
      }
    }
    ByteArrayOutputStream kept = keepBody ? new ByteArrayOutputStream() : null;
    boolean hasBody = !method.equals("HEAD") && status != 204 && status != 304 && status >= 200;
    if (hasBody) {
      if (chunked) {
        readChunked(kept);
      } else if (contentLength >= 0) {
        copy(contentLength, kept);
      } else {
        copy(Long.MAX_VALUE, kept);
        closeAfter = true;
      }
    }
    if (closeAfter) {
      close();
    }
    byte[] body = kept == null ? new byte[0] : kept.toByteArray();
    if (kept != null && "gzip".equals(encoding) && body.length > 0) {
      try (InputStream gunzip = new GZIPInputStream(new ByteArrayInputStream(body))) {
        body = gunzip.readAllBytes();
      }
    }
    return new Response(status, etag, body);
  }

  private void readChunked(ByteArrayOutputStream kept) throws IOException {
    while (true) {
      String sizeLine = readLine();
      int extension = sizeLine.indexOf(';');
      long size =
          Long.parseLong((extension < 0 ? sizeLine : sizeLine.substring(0, extension)).trim(), 16);
      if (size == 0) {
        // Trailers, then the empty line that ends the message.
        while (!readLine().isEmpty()) {}
        return;
      }
      copy(size, kept);
      readLine();
    }
  }

  /** Reads {@code length} bytes (or to the end of the stream) into {@code kept}, or drops them. */
  private void copy(long length, ByteArrayOutputStream kept) throws IOException {
    long remaining = length;
    while (remaining > 0) {
      int n = in.read(scratch, 0, (int) Math.min(scratch.length, remaining));
      if (n < 0) {
        if (length == Long.MAX_VALUE) {
          return;
        }
        throw new EOFException("Connection closed inside a response body");
      }
      if (kept != null) {
        kept.write(scratch, 0, n);
      }
      remaining -= n;
    }
  }

  private String readLine() throws IOException {
    StringBuilder line = new StringBuilder(64);
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException("Connection closed by the server");
      }
      if (c == '\n') {
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r'
            ? line.substring(0, end - 1)
            : line.toString();
      }
      line.append((char) c);
    }
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
