package io.bingsan.adapters.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A request answered before its body arrived in full keeps its keep-alive connection: the body's
 * tail, sent after the answer was decided, is read and the next request on the connection is
 * answered. A body over the limit is answered, and the connection then closes as the answer says.
 */
class UnreadBodyDrainTest {
  private static final String BASE = "/v1/" + RestTestServer.WAREHOUSE;
  private static final int MAX_REQUEST_BYTES = 64 * 1024;

  private static RestTestServer server;

  @BeforeAll
  static void start() throws Exception {
    RestSettings defaults = RestSettings.defaults();
    server =
        new RestTestServer(
            new RestSettings(
                MAX_REQUEST_BYTES,
                defaults.idempotencyKeyLifetime(),
                defaults.idempotencyWait(),
                defaults.responseCacheBytes(),
                defaults.gzipLevel()));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // A malformed Idempotency-Key, refused ahead of Jersey and by Jersey.
        BASE + "/namespaces/ns/tables/t",
        BASE + "/namespaces/ns/tables/t?unused=1",
        // No such route.
        "/v1/wh/nothing/here"
      })
  void anEarlyAnswerKeepsTheConnection(String path) throws Exception {
    String body = "{\"requirements\": [], \"updates\": []}" + " ".repeat(4096);
    byte[] head = postHead(path, "Idempotency-Key: not-a-uuid\r\n", body.length());
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(head);
      out.write(body.substring(0, 100).getBytes(StandardCharsets.US_ASCII));
      out.flush();
      // Long enough for the server to decide its answer on the headers alone.
      Thread.sleep(300);
      out.write(body.substring(100).getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(readResponse(in).status()).isBetween(400, 499);

      out.write(
          ("GET /v1/config?warehouse=" + RestTestServer.WAREHOUSE
                  + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(readResponse(in).status()).isEqualTo(200);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // Refused for its key before the body is read, ahead of Jersey and by Jersey.
        BASE + "/namespaces/ns/tables/t",
        BASE + "/namespaces/ns/tables/t?unused=1",
        // Refused for its size while it is read.
        BASE + "/namespaces",
        "/v1/wh/nothing/here"
      })
  void aBodyOverTheLimitIsAnsweredAndTheConnectionClosedAsTheAnswerSays(String path)
      throws Exception {
    byte[] body = " ".repeat(MAX_REQUEST_BYTES + 1).getBytes(StandardCharsets.US_ASCII);
    String key = path.contains("/tables/") ? "Idempotency-Key: not-a-uuid\r\n" : "";
    byte[] head = postHead(path, key, body.length);
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      // All of it is sent before the answer is read, as a client that writes before it reads.
      out.write(head);
      out.write(body);
      out.flush();

      Response refused = readResponse(in);
      assertThat(refused.status()).isBetween(400, 499);
      assertThat(refused.connection()).isEqualTo("close");
      // An orderly close: a reset would mean the server left the body unread.
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  /** The head of a JSON POST, with {@code headers} (each ending in CRLF) among its fields. */
  private static byte[] postHead(String path, String headers, int contentLength) {
    return ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers
            + "Content-Type: application/json\r\nContent-Length: " + contentLength + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static Socket connect() throws IOException {
    Socket socket = new Socket("127.0.0.1", server.uri().getPort());
    socket.setSoTimeout(10_000);
    return socket;
  }

  /** A response's status and its {@code Connection} header, empty when it has none. */
  private record Response(int status, String connection) {}

  /** Reads one response with a {@code Content-Length} or chunked body. */
  private static Response readResponse(InputStream in) throws IOException {
    String statusLine = readLine(in);
    assertThat(statusLine).as("the connection is still open").startsWith("HTTP/1.1 ");
    long length = 0;
    boolean chunked = false;
    String connection = "";
    for (String header = readLine(in); !header.isEmpty(); header = readLine(in)) {
      String lower = header.toLowerCase(java.util.Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(lower.substring("content-length:".length()).trim());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      } else if (lower.startsWith("connection:")) {
        connection = lower.substring("connection:".length()).trim();
      }
    }
    if (chunked) {
      for (long size = chunkSize(in); size > 0; size = chunkSize(in)) {
        in.readNBytes((int) size);
        readLine(in);
      }
      readLine(in);
    } else {
      in.readNBytes((int) length);
    }
    return new Response(Integer.parseInt(statusLine.substring(9, 12)), connection);
  }

  private static long chunkSize(InputStream in) throws IOException {
    return Long.parseLong(readLine(in).split(";")[0].trim(), 16);
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        return line.toString(StandardCharsets.US_ASCII);
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }
}
