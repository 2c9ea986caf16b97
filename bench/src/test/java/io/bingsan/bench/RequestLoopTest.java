package io.bingsan.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one-thread loop against a real HTTP server: every worker's requests answered and counted,
 * bodies of any framing, connections the server closes, and the window's count limit.
 */
class RequestLoopTest {
  private static final Duration WARMUP = Duration.ofMillis(100);

  private final ExecutorService serverThreads = Executors.newFixedThreadPool(4);
  private final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
  private final AtomicInteger connectionsClosed = new AtomicInteger();
  private HttpServer server;
  private HttpTarget target;
  private ClosedLoop loop;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/", this::answer);
    server.setExecutor(serverThreads);
    server.start();
    target =
        HttpTarget.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), true);
    loop = new ClosedLoop(new Machine(0, 0, ""), new Profiler(0, null), Duration.ZERO, 5.0);
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
    serverThreads.shutdownNow();
  }

  /** {@code /chunked} and {@code /sized} answer 200, {@code /closing} closes after, else 404. */
  private void answer(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    served.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    byte[] body = ("{\"path\":\"" + path + "\"}").getBytes(UTF_8);
    int status = List.of("/chunked", "/sized", "/closing").contains(path) ? 200 : 404;
    if (path.equals("/closing")) {
      exchange.getResponseHeaders().set("Connection", "close");
      connectionsClosed.incrementAndGet();
    }
    // Length 0 makes the JDK's server send the body in chunks.
    exchange.sendResponseHeaders(status, path.equals("/chunked") ? 0 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Test
  void answersEveryWorkersRequestsOnItsOwnConnection() throws Exception {
    List<byte[]> requests =
        List.of(target.get("/chunked"), target.get("/sized"), target.get("/missing"));
    AtomicLong answered = new AtomicLong();

    Measurement measurement =
        loop.run(
            "mixed",
            8,
            new ClosedLoop.Window(WARMUP, Duration.ofMillis(400), Long.MAX_VALUE),
            target,
            new RequestLoop.Requests() {
              @Override
              public byte[] next(int worker) {
                return requests.get(worker % requests.size());
              }

              @Override
              public void answered(int status) {
                answered.incrementAndGet();
              }
            });

    long missing = measurement.failures().getOrDefault("404", 0L);
    assertThat(measurement.ops()).isPositive();
    assertThat(missing).isPositive();
    assertThat(measurement.failures()).containsOnlyKeys("404");
    // Workers 2 and 5 ask for the missing path, the other six for the found ones.
    assertThat(measurement.ops()).isGreaterThan(missing);
    assertThat(served.get("/chunked").get() + served.get("/sized").get())
        .isGreaterThanOrEqualTo((int) measurement.ops());
    assertThat(answered.get()).isGreaterThanOrEqualTo(measurement.ops() + missing);
  }

  @Test
  void reconnectsWhenTheServerClosesAfterAnAnswer() throws Exception {
    byte[] closing = target.get("/closing");

    Measurement measurement =
        loop.run(
            "closing",
            2,
            new ClosedLoop.Window(WARMUP, Duration.ofMillis(300), Long.MAX_VALUE),
            target,
            worker -> closing);

    assertThat(measurement.failures()).isEmpty();
    assertThat(measurement.ops()).isPositive();
    assertThat(connectionsClosed.get()).isGreaterThan(2);
  }

  @Test
  void stopsAtTheWindowsCount() throws Exception {
    byte[] sized = target.get("/sized");

    Measurement measurement =
        loop.run(
            "counted",
            4,
            new ClosedLoop.Window(Duration.ZERO, Duration.ofSeconds(30), 50),
            target,
            worker -> sized);

    assertThat(measurement.ops()).isEqualTo(50);
    assertThat(served.get("/sized").get()).isBetween(50, 50 + 4);
  }
}
