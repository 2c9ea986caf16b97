package io.bingsan.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** What operators and their tools see: probes and Prometheus metrics. */
class OperationsTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

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
}
