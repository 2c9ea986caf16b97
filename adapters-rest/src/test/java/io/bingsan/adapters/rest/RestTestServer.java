package io.bingsan.adapters.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bingsan.domain.catalog.Warehouse;
import io.bingsan.domain.commit.CommitRetryPolicy;
import io.bingsan.ports.out.IdGenerator;
import io.bingsan.ports.out.TableChangeNotices;
import io.bingsan.service.CatalogServices;
import io.bingsan.service.MetadataCache;
import io.bingsan.service.Warehouses;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.gzip.GzipHandler;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * The API on a real Jetty 12 (ee10) with Jetty's default URI compliance and its GzipHandler, as
 * Dropwizard serves it, over the real services on in-memory fakes of the ports.
 */
final class RestTestServer implements AutoCloseable {
  static final String WAREHOUSE = "wh";

  final InMemoryCatalogStore catalog = new InMemoryCatalogStore();
  final InMemoryIdempotencyStore idempotency = new InMemoryIdempotencyStore();
  /** Requests that reached the servlet layer, which the load handler answers ahead of. */
  final AtomicInteger servletRequests = new AtomicInteger();
  /** "METHOD path?query STATUS" of every request served, in order. */
  private final List<String> requestLog = new CopyOnWriteArrayList<>();

  private final Server server;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper mapper = new ObjectMapper();

  /**
   * The URI compliance the app must configure: Jetty's default refuses {@code %1F} ("suspicious
   * path character"), {@code %2F} ("ambiguous path separator") and empty segments before any
   * servlet runs.
   */
  static final UriCompliance URI_COMPLIANCE =
      UriCompliance.DEFAULT.with(
          "iceberg-rest",
          UriCompliance.Violation.SUSPICIOUS_PATH_CHARACTERS,
          UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
          UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT);

  RestTestServer(RestSettings settings) throws Exception {
    this(settings, URI_COMPLIANCE);
  }

  RestTestServer(RestSettings settings, UriCompliance uriCompliance) throws Exception {
    Warehouses warehouses =
        new Warehouses(List.of(new Warehouse(WAREHOUSE, "file:/tmp/bingsan-rest-test", List.of())));
    CatalogServices services =
        new CatalogServices(
            warehouses,
            new CatalogServices.Ports(
                catalog,
                catalog,
                catalog,
                new InMemoryMetadataFiles(),
                catalog,
                IdGenerator.random(),
                Clock.systemUTC(),
                TableChangeNotices.NONE),
            new MetadataCache(10_000_000),
            CommitRetryPolicy.DEFAULT,
            CatalogServices.DEFAULT_COMMIT_TURN_WAIT);
    ResourceConfig jersey = new ResourceConfig();
    IcebergRestApi api = new IcebergRestApi(services, warehouses, idempotency, settings);
    api.registerWith(jersey);

    server = new Server();
    HttpConfiguration httpConfiguration = new HttpConfiguration();
    httpConfiguration.setUriCompliance(uriCompliance);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(httpConfiguration));
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    // Servlet path methods refuse an encoded '/' unless told to decode it anyway.
    context.getServletHandler().setDecodeAmbiguousURIs(true);
    context.addServlet(new ServletHolder(new ServletContainer(jersey)), "/*");
    context.addFilter(
        new FilterHolder(
            (Filter)
                (request, response, chain) -> {
                  servletRequests.incrementAndGet();
                  chain.doFilter(request, response);
                }),
        "/*",
        EnumSet.of(DispatcherType.REQUEST));
    context.addFilter(
        new FilterHolder(api.unreadBodies()), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addFilter(
        new FilterHolder(api.tableCommits()), "/v1/*", EnumSet.of(DispatcherType.REQUEST));
    // As Dropwizard serves the API: behind Jetty's GzipHandler, with Dropwizard's minimum size.
    GzipHandler gzip = new GzipHandler();
    gzip.setMinGzipSize(256);
    gzip.setHandler(api.tableLoads(context));
    server.setHandler(gzip);
    server.setRequestLog(
        (request, response) ->
            requestLog.add(
                request.getMethod()
                    + " "
                    + request.getHttpURI().getPathQuery()
                    + " "
                    + response.getStatus()));
    server.start();
  }

  /**
   * Whether a request was logged as "METHOD path?query STATUS". Jetty logs a request after its
   * response is sent, so the entry may trail the response briefly.
   */
  boolean logged(String entry) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!requestLog.contains(entry)) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  URI uri() {
    return server.getURI();
  }

  /** Sends a request; the path is used exactly as given, percent-encoding included. */
  HttpResponse<String> send(String method, String path, String body, String... headers) {
    return send(method, path, body, HttpResponse.BodyHandlers.ofString(), headers);
  }

  /** Sends a request and keeps the response body as it came over the wire, still encoded. */
  HttpResponse<byte[]> sendForBytes(String method, String path, String body, String... headers) {
    return send(method, path, body, HttpResponse.BodyHandlers.ofByteArray(), headers);
  }

  private <T> HttpResponse<T> send(
      String method,
      String path,
      String body,
      HttpResponse.BodyHandler<T> bodyHandler,
      String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri().resolve(path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (headers.length > 0) {
      request.headers(headers);
    }
    try {
      return http.send(request.build(), bodyHandler);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  JsonNode json(HttpResponse<String> response) {
    return json(response.body().getBytes(StandardCharsets.UTF_8));
  }

  JsonNode json(byte[] body) {
    try {
      return mapper.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    http.close();
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("Jetty did not stop", e);
    }
  }
}
