package io.bingsan.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/** What operators and their tools see: probes and Prometheus metrics. */
class OperationsTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static final Pattern GET_REQUESTS =
      Pattern.compile(
          "(?m)^io_dropwizard_jetty_MutableServletContextHandler_get_requests_count (\\S+)$");

  private final CatalogTestServer server = CatalogTestServer.shared();

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void readinessAndLivenessProbesAnswerOk() throws Exception {
    assertThat(get(server.uri() + "health-check?type=ready").statusCode()).isEqualTo(200);
    assertThat(get(server.uri() + "health-check?type=alive").statusCode()).isEqualTo(200);
  }

  @Test
  void prometheusScrapeCarriesRequestPoolAndJvmMetrics() throws Exception {
    get(server.uri() + "v1/config");

    HttpResponse<String> scrape = get("http://127.0.0.1:" + server.adminPort() + PrometheusEndpoint.PATH);

    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.body())
        .contains("jvm_memory_used_bytes")
        .containsPattern("(?m)^io_dropwizard_jetty_MutableServletContextHandler_requests")
        .containsPattern("(?m)^io_dropwizard_db_ManagedPooledDataSource_postgresql_active");
  }

  @Test
  void tableLoadsAreMeteredWithTheOtherRequests() throws Exception {
    try (RESTCatalog client = server.newClient(Map.of())) {
      client.createNamespace(Namespace.of("metered"));
      client.createTable(
          TableIdentifier.of("metered", "t"),
          new Schema(Types.NestedField.required(1, "id", Types.LongType.get())));
    }
    String load =
        server.uri() + "v1/" + CatalogTestServer.WAREHOUSE + "/namespaces/metered/tables/t";
    double before = getRequestsServed();

    for (int i = 0; i < 5; i++) {
      assertThat(get(load).statusCode()).isEqualTo(200);
    }

    // At least: tests elsewhere may share the server.
    assertThat(getRequestsServed()).isGreaterThanOrEqualTo(before + 5);
    assertThat(scrape()).doesNotContain("TableLoad");
  }

  private double getRequestsServed() throws Exception {
    Matcher count = GET_REQUESTS.matcher(scrape());
    assertThat(count.find()).as("GET requests metered").isTrue();
    return Double.parseDouble(count.group(1));
  }

  private String scrape() throws Exception {
    return get("http://127.0.0.1:" + server.adminPort() + PrometheusEndpoint.PATH).body();
  }
}
