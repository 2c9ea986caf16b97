package io.bingsan.bench;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Responses arriving in pieces of every size, as sockets deliver them, read the same. */
class ResponseReaderTest {
  private static final String CHUNKED =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nETag: \"v2\"\r\n\r\n"
          + "5;name=value\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n";

  private static final String BY_LENGTH =
      "HTTP/1.1 404 Not Found\r\nContent-Length: 13\r\nConnection: close\r\n\r\n{\"error\":404}";

  private static final String NOT_MODIFIED = "HTTP/1.1 304 Not Modified\r\nETag: \"v2\"\r\n\r\n";

  /** Seeds of the random cuts: each one splits the responses differently. */
  static LongStream seeds() {
    return LongStream.range(0, 20);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void readsResponsesBackToBackWhereverTheBytesAreCut(long seed) throws Exception {
    byte[] wire = (CHUNKED + NOT_MODIFIED + BY_LENGTH).getBytes(ISO_8859_1);
    ResponseReader reader = new ResponseReader();
    Random random = new Random(seed);
    ByteBuffer pending = ByteBuffer.allocate(wire.length).limit(0);
    int sent = 0;

    String[] bodies = new String[3];
    int[] statuses = new int[3];
    String[] etags = new String[3];
    boolean[] closes = new boolean[3];
    for (int i = 0; i < 3; i++) {
      reader.expect("GET", true);
      while (!reader.read(pending)) {
        // The previous piece is used up: the next one arrives, of a random size.
        int size = Math.min(wire.length - sent, 1 + random.nextInt(12));
        pending = ByteBuffer.wrap(wire, sent, size);
        sent += size;
      }
      HttpConnection.Response response = reader.response();
      statuses[i] = response.status();
      bodies[i] = new String(response.body(), UTF_8);
      etags[i] = response.etag();
      closes[i] = reader.closeAfter();
    }

    assertThat(statuses).containsExactly(200, 304, 404);
    assertThat(bodies).containsExactly("hello, world", "", "{\"error\":404}");
    assertThat(etags).containsExactly("\"v2\"", "\"v2\"", null);
    assertThat(closes).containsExactly(false, false, true);
    assertThat(sent).isEqualTo(wire.length);
    assertThat(pending.hasRemaining()).isFalse();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void leavesTheBytesAfterAResponseForTheNext(long seed) throws Exception {
    byte[] wire = (NOT_MODIFIED + CHUNKED).getBytes(ISO_8859_1);
    int cut = NOT_MODIFIED.length() + new Random(seed).nextInt(CHUNKED.length());
    ResponseReader reader = new ResponseReader();

    reader.expect("GET", false);
    ByteBuffer first = ByteBuffer.wrap(Arrays.copyOf(wire, cut));
    assertThat(reader.read(first)).isTrue();
    assertThat(reader.status()).isEqualTo(304);
    assertThat(first.remaining()).isEqualTo(cut - NOT_MODIFIED.length());

    reader.expect("GET", true);
    boolean complete = reader.read(first);
    if (!complete) {
      complete = reader.read(ByteBuffer.wrap(wire, cut, wire.length - cut));
    }
    assertThat(complete).isTrue();
    assertThat(new String(reader.response().body(), UTF_8)).isEqualTo("hello, world");
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void aBodyWithoutLengthEndsWhereTheServerCloses(long seed) throws Exception {
    String body = "x".repeat(1 + new Random(seed).nextInt(200));
    ResponseReader reader = new ResponseReader();
    reader.expect("GET", true);

    assertThat(reader.read(ByteBuffer.wrap(("HTTP/1.0 200 OK\r\n\r\n" + body).getBytes(UTF_8))))
        .isFalse();
    assertThat(reader.endOfStream()).isTrue();
    assertThat(new String(reader.response().body(), UTF_8)).isEqualTo(body);
    assertThat(reader.closeAfter()).isTrue();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void aResponseCutShortFails(long seed) throws Exception {
    byte[] wire = CHUNKED.getBytes(ISO_8859_1);
    int cut = 1 + new Random(seed).nextInt(wire.length - 1);
    ResponseReader reader = new ResponseReader();
    reader.expect("GET", false);

    assertThat(reader.read(ByteBuffer.wrap(wire, 0, cut))).isFalse();
    assertThatThrownBy(reader::endOfStream)
        .isInstanceOf(EOFException.class)
        .hasMessageContaining("inside a response");
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void aHeadAnswerHasNoBodyWhateverItsLength(long seed) throws Exception {
    int length = new Random(seed).nextInt(1000);
    ResponseReader reader = new ResponseReader();
    reader.expect("HEAD", true);

    ByteBuffer wire =
        ByteBuffer.wrap(
            ("HTTP/1.1 200 OK\r\nContent-Length: " + length + "\r\n\r\n").getBytes(ISO_8859_1));
    assertThat(reader.read(wire)).isTrue();
    assertThat(reader.response().body()).isEmpty();
  }
}
