package io.bingsan.bench;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Against a scripted server: framing by length and by chunks, gzip, 304, keep-alive. */
class HttpConnectionTest {
  @Test
  void readsResponsesOnOneKeptAliveConnection() throws Exception {
    byte[] gzipped = gzip("{\"compressed\":true}");
    List<byte[]> answers =
        List.of(
            response(
                "HTTP/1.1 200 OK\r\nContent-Length: 11\r\nETag: \"t1\"\r\n\r\n",
                "{\"a\":\"bc\"}\n".getBytes(UTF_8)),
            response(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n",
                chunked(gzipped)),
            response("HTTP/1.1 304 Not Modified\r\nETag: \"t1\"\r\n\r\n", new byte[0]));
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      List<String> requestLines = new ArrayList<>();
      Thread script = Thread.ofPlatform().start(() -> serve(server, answers, requestLines));
      try (HttpConnection connection =
          new HttpConnection(
              HttpTarget.of(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/"), true))) {
        HttpConnection.Response first = connection.get("/first", true);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.etag()).isEqualTo("\"t1\"");
        assertThat(Json.at(first.json(), "a")).isEqualTo("bc");
        assertThat(Json.at(connection.get("/second", true).json(), "compressed")).isEqualTo(true);
        HttpConnection.Response notModified = connection.get("/third", false);
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.ok()).isTrue();
      }
      script.join();
      assertThat(requestLines)
          .containsExactly("GET /first HTTP/1.1", "GET /second HTTP/1.1", "GET /third HTTP/1.1");
    }
  }

  @Test
  void buildsWholeRequestsWithTheRunsHeaders() {
    HttpTarget target = HttpTarget.of(URI.create("http://localhost:8181/"), false);

    String conditional = new String(target.request("GET", "/t", "\"v1\"", null), ISO_8859_1);
    String post = new String(target.request("POST", "/t", null, "{}".getBytes(UTF_8)), UTF_8);

    String fixed =
        "Host: localhost:8181\r\nAccept: application/json\r\nUser-Agent: bingsan-bench\r\n";
    assertThat(conditional)
        .isEqualTo("GET /t HTTP/1.1\r\n" + fixed + "If-None-Match: \"v1\"\r\n\r\n");
    assertThat(post)
        .isEqualTo(
            "POST /t HTTP/1.1\r\n"
                + fixed
                + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
  }

  @Test
  void refusesTargetsOffThisMachine() {
    assertThatThrownBy(() -> HttpTarget.of(URI.create("http://192.0.2.1:8181/"), false))
        .hasMessageContaining("loopback");
  }

  private static void serve(ServerSocket server, List<byte[]> answers, List<String> requestLines) {
    try (Socket socket = server.accept()) {
      BufferedReader in =
          new BufferedReader(new InputStreamReader(socket.getInputStream(), ISO_8859_1));
      OutputStream out = socket.getOutputStream();
      for (byte[] answer : answers) {
        requestLines.add(in.readLine());
        while (!in.readLine().isEmpty()) {}
        out.write(answer);
        out.flush();
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] response(String head, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.getBytes(ISO_8859_1));
    out.writeBytes(body);
    return out.toByteArray();
  }

  private static byte[] chunked(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int half = body.length / 2;
    out.writeBytes((Integer.toHexString(half) + "\r\n").getBytes(ISO_8859_1));
    out.write(body, 0, half);
    out.writeBytes(
        ("\r\n" + Integer.toHexString(body.length - half) + ";ext=1\r\n").getBytes(ISO_8859_1));
    out.write(body, half, body.length - half);
    out.writeBytes("\r\n0\r\n\r\n".getBytes(ISO_8859_1));
    return out.toByteArray();
  }

  private static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(text.getBytes(UTF_8));
    }
    return out.toByteArray();
  }
}
