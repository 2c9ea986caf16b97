package io.bingsan.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.spi.AppenderAttachableImpl;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.dropwizard.request.logging.RequestLogFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Request log lines as {@code requestLog: {type: ncsa}} writes them, from a real Jetty server. */
class NcsaRequestLogFactoryTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void writesOneLinePerRequestWithItsQueryInOrderAndSoon(@TempDir Path dir) throws Exception {
    Path logFile = dir.resolve("requests.log");
    RequestLogFactory<?> factory = fileLogFactory(dir, logFile);

    Server server = server(factory.build("test"));
    try {
      int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
      for (int i = 0; i < 20; i++) {
        get(port, "/v1/wh/namespaces/n" + i + "/tables/t?snapshots=refs&x=a%20b");
      }
      get(port, "/missing");

      // Written while the server runs, within a few flush intervals.
      List<String> lines = awaitLines(logFile, 21);
      assertThat(lines.getFirst())
          .matches(
              "127\\.0\\.0\\.1 - - \\[\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d:\\d\\d \\+0000]"
                  + " \"GET /v1/wh/namespaces/n0/tables/t\\?snapshots=refs&x=a%20b HTTP/1\\.1\""
                  + " 200 \\d+ \"\" \"bingsan-test\" \\d+");
      for (int i = 0; i < 20; i++) {
        assertThat(lines.get(i)).contains("/namespaces/n" + i + "/tables/t?");
      }
      assertThat(lines.get(20)).contains("\"GET /missing HTTP/1.1\" 404 ");
    } finally {
      server.stop();
    }
  }

  @Test
  void writesEveryLineOfABatchLargerThanAnAppenderQueue(@TempDir Path dir) throws Exception {
    Path logFile = dir.resolve("requests.log");
    CustomRequestLog log = (CustomRequestLog) fileLogFactory(dir, logFile).build("test");
    log.start();
    try {
      // Dropwizard's appenders queue 256 events and discard INFO ones beyond four-fifths of that.
      int count = 5_000;
      for (int i = 0; i < count; i++) {
        log.getWriter().write("line " + i);
      }
      List<String> lines = awaitLines(logFile, count);
      for (int i = 0; i < count; i++) {
        assertThat(lines.get(i)).isEqualTo("line " + i);
      }
    } finally {
      log.stop();
    }
  }

  @Test
  void linesBeyondTheQueueAreDroppedAndCounted() {
    List<String> appended = new CopyOnWriteArrayList<>();
    AppenderAttachableImpl<ILoggingEvent> appenders = new AppenderAttachableImpl<>();
    AppenderBase<ILoggingEvent> collecting =
        new AppenderBase<>() {
          @Override
          protected void append(ILoggingEvent event) {
            assertThat(event.getLevel()).isEqualTo(Level.INFO);
            appended.add(event.getFormattedMessage());
          }
        };
    collecting.start();
    appenders.addAppender(collecting);
    // Not started: nothing flushes until asked.
    BatchedLogWriter writer =
        new BatchedLogWriter(
            new LoggerContext(), "http.request", appenders, Duration.ofHours(1), 2);

    writer.write("first");
    writer.write("second");
    writer.write("third");
    writer.flush();
    writer.write("fourth");
    writer.flush();

    assertThat(appended)
        .containsExactly(
            "first",
            "second",
            "1 request log lines dropped: more were waiting than the queue holds",
            "fourth");
  }

  private static RequestLogFactory<?> fileLogFactory(Path dir, Path logFile) throws Exception {
    Path config = dir.resolve("request-log.yml");
    Files.writeString(
        config,
        """
        type: ncsa
        flushInterval: 50 milliseconds
        appenders:
          - type: file
            currentLogFilename: %s
            archive: false
        """
            .formatted(logFile));
    // A prefix of its own: the shared test server's overrides are dw.* system properties.
    RequestLogFactory<?> factory =
        new YamlConfigurationFactory<>(
                RequestLogFactory.class,
                Validators.newValidator(),
                Jackson.newObjectMapper(),
                "request-log-test")
            .build(new FileConfigurationSourceProvider(), config.toString());
    assertThat(factory).isInstanceOf(NcsaRequestLogFactory.class);
    return factory;
  }

  private static Server server(RequestLog requestLog) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setRequestLog(requestLog);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(
              org.eclipse.jetty.server.Request request,
              Response response,
              org.eclipse.jetty.util.Callback callback) {
            response.setStatus(request.getHttpURI().getPath().startsWith("/v1/") ? 200 : 404);
            response.write(true, java.nio.ByteBuffer.wrap(new byte[] {'{', '}'}), callback);
            return true;
          }
        });
    server.start();
    return server;
  }

  private static void get(int port, String pathAndQuery) throws Exception {
    HttpResponse<Void> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .header("User-Agent", "bingsan-test")
                .build(),
            HttpResponse.BodyHandlers.discarding());
    assertThat(response.statusCode()).isIn(200, 404);
  }

  private static List<String> awaitLines(Path file, int count) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<String> lines = List.of();
    while (System.nanoTime() < deadline) {
      lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
      if (lines.size() >= count) {
        return lines;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("Only " + lines.size() + " of " + count + " lines were written");
  }
}
