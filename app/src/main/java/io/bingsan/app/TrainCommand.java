package io.bingsan.app;

import io.dropwizard.core.Application;
import io.dropwizard.core.cli.ServerCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.health.DefaultHealthFactory;
import io.dropwizard.jetty.ConnectorFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.dropwizard.lifecycle.ServerLifecycleListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import net.sourceforge.argparse4j.inf.Namespace;
import org.eclipse.jetty.server.Server;

/**
 * {@code train}: starts the catalog from a configuration file, but on a throwaway embedded
 * PostgreSQL and warehouse on loopback ports of its own, sends it every kind of request a few
 * times, and stops. It is the run a JVM records an AOT cache from ({@code java
 * -XX:AOTCacheOutput=bingsan.aot -jar bingsan.jar train config.yml}), which the build does on JDK
 * 25: a server started with that cache loads and links its classes from it, and reaches its first
 * answer in about half the time.
 */
final class TrainCommand extends ServerCommand<BingsanConfiguration> {
  private static final String WAREHOUSE = "default";
  private static final int ROUNDS = 20;

  private final StartedServer started = new StartedServer();
  private Path workDirectory;

  TrainCommand(Application<BingsanConfiguration> application) {
    super(
        application,
        "train",
        "Runs a short workload on a throwaway embedded PostgreSQL, for an AOT cache to record");
  }

  @Override
  protected void run(
      Bootstrap<BingsanConfiguration> bootstrap,
      Namespace namespace,
      BingsanConfiguration configuration)
      throws Exception {
    workDirectory = Files.createTempDirectory("bingsan-train");
    try {
      isolate(configuration, workDirectory);
      super.run(bootstrap, namespace, configuration);
    } finally {
      configuration.getEmbeddedPostgres().stop();
      deleteRecursively(workDirectory);
    }
  }

  @Override
  protected void run(
      Environment environment, Namespace namespace, BingsanConfiguration configuration)
      throws Exception {
    environment.lifecycle().addServerLifecycleListener(started);
    super.run(environment, namespace, configuration);
    try {
      new TrainingWorkload(
              HttpClient.newHttpClient(),
              URI.create("http://127.0.0.1:" + started.port + "/"),
              URI.create("http://127.0.0.1:" + started.adminPort + "/"),
              WAREHOUSE,
              workDirectory.resolve("warehouse").toUri().toString())
          .run(ROUNDS);
    } finally {
      started.server.stop();
    }
  }

  /** The server and the ports it was given, once it has started. */
  private static final class StartedServer implements ServerLifecycleListener {
    private Server server;
    private int port;
    private int adminPort;

    @Override
    public void serverStarted(Server server) {
      this.server = server;
      this.port = getLocalPort(server);
      this.adminPort = getAdminPort(server);
    }
  }

  /** Points the configuration at the work directory and at free loopback ports. */
  private static void isolate(BingsanConfiguration configuration, Path workDirectory) {
    configuration.setDatabase(null);
    EmbeddedPostgresFactory postgres = new EmbeddedPostgresFactory();
    postgres.setDataDirectory(workDirectory.resolve("postgres").toString());
    configuration.setEmbeddedPostgres(postgres);
    WarehouseFactory warehouse = new WarehouseFactory();
    warehouse.setName(WAREHOUSE);
    warehouse.setLocation(workDirectory.resolve("warehouse").toString());
    configuration.setWarehouses(new ArrayList<>(List.of(warehouse)));
    ServerConnectors.all(configuration.getServerFactory())
        .forEach(TrainCommand::onFreeLoopbackPort);
    // Nothing balances load onto this server: stop at once instead of draining.
    configuration
        .getHealthFactory()
        .filter(DefaultHealthFactory.class::isInstance)
        .map(DefaultHealthFactory.class::cast)
        .ifPresent(health -> health.setDelayedShutdownHandlerEnabled(false));
  }

  private static void onFreeLoopbackPort(ConnectorFactory connector) {
    if (connector instanceof HttpConnectorFactory http) {
      http.setBindHost("127.0.0.1");
      http.setPort(0);
    }
  }

  private static void deleteRecursively(Path directory) throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              path -> {
                try {
                  Files.deleteIfExists(path);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }

  /** Every kind of catalog request, each checked for the status a working catalog answers. */
  record TrainingWorkload(
      HttpClient client, URI api, URI admin, String warehouse, String warehouseLocation) {

    void run(int rounds) throws IOException, InterruptedException {
      expect(200, get(api.resolve("v1/config?warehouse=" + warehouse)));
      for (int round = 0; round < rounds; round++) {
        round("train_" + round);
      }
      expect(200, get(admin.resolve(PrometheusEndpoint.PATH.substring(1))));
      expect(200, get(api.resolve("health-check?type=ready")));
    }

    private void round(String namespace) throws IOException, InterruptedException {
      String namespaces = "v1/" + warehouse + "/namespaces";
      String tables = namespaces + "/" + namespace + "/tables";
      String table = tables + "/events";
      expect(200, post(namespaces, "{\"namespace\":[\"" + namespace + "\"]}"));
      expect(200, get(api.resolve(namespaces)));
      expect(200, get(api.resolve(namespaces + "/" + namespace)));
      expect(
          200,
          post(
              namespaces + "/" + namespace + "/properties",
              "{\"updates\":{\"owner\":\"train\"},\"removals\":[]}"));
      expect(200, post(tables, createTable("events")));
      HttpRequest load = get(api.resolve(table));
      String etag = send(load, 200).headers().firstValue("etag").orElseThrow();
      expect(304, HttpRequest.newBuilder(load.uri()).header("If-None-Match", etag).build());
      expect(200, get(api.resolve(table + "?snapshots=refs")));
      Long head = null;
      for (long snapshot = 1; snapshot <= 3; snapshot++) {
        expect(200, post(table, appendCommit(namespace, head, snapshot)));
        head = snapshot;
      }
      expect(409, post(table, appendCommit(namespace, null, 4)));
      expect(
          204,
          post(
              "v1/" + warehouse + "/transactions/commit",
              "{\"table-changes\":[{\"identifier\":{\"namespace\":[\""
                  + namespace
                  + "\"],\"name\":\"events\"},\"requirements\":[],\"updates\":"
                  + "[{\"action\":\"set-properties\",\"updates\":{\"train\":\"yes\"}}]}]}"));
      expect(200, get(api.resolve(tables)));
      expect(200, get(api.resolve(tables + "?pageSize=1")));
      expect(404, get(api.resolve(tables + "/missing")));
      String views = namespaces + "/" + namespace + "/views";
      expect(200, post(views, createView(namespace)));
      expect(200, get(api.resolve(views + "/totals")));
      expect(
          204,
          post(
              "v1/" + warehouse + "/tables/rename",
              "{\"source\":{\"namespace\":[\"%s\"],\"name\":\"events\"},"
                      .formatted(namespace)
                  + "\"destination\":{\"namespace\":[\"%s\"],\"name\":\"renamed\"}}"
                      .formatted(namespace)));
      expect(204, delete(tables + "/renamed"));
      expect(204, delete(views + "/totals"));
      expect(204, delete(namespaces + "/" + namespace));
    }

    private static String createTable(String name) {
      return "{\"name\":\""
          + name
          + "\",\"schema\":{\"type\":\"struct\",\"schema-id\":0,\"fields\":["
          + "{\"id\":1,\"name\":\"id\",\"type\":\"long\",\"required\":true},"
          + "{\"id\":2,\"name\":\"payload\",\"type\":\"string\",\"required\":false}]},"
          + "\"partition-spec\":{\"spec-id\":0,\"fields\":[]},\"properties\":{}}";
    }

    private String appendCommit(String namespace, Long parent, long snapshot) {
      String parentField = parent == null ? "" : "\"parent-snapshot-id\":" + parent + ",";
      return "{\"requirements\":[{\"type\":\"assert-ref-snapshot-id\",\"ref\":\"main\","
          + "\"snapshot-id\":"
          + parent
          + "}],\"updates\":[{\"action\":\"add-snapshot\",\"snapshot\":{\"snapshot-id\":"
          + snapshot
          + ","
          + parentField
          + "\"sequence-number\":"
          + snapshot
          + ",\"timestamp-ms\":"
          + System.currentTimeMillis()
          + ",\"manifest-list\":\""
          + warehouseLocation
          + namespace
          + "/snap-"
          + snapshot
          + ".avro\",\"summary\":{\"operation\":\"append\"},\"schema-id\":0}},"
          + "{\"action\":\"set-snapshot-ref\",\"ref-name\":\"main\",\"type\":\"branch\","
          + "\"snapshot-id\":"
          + snapshot
          + "}]}";
    }

    private static String createView(String namespace) {
      return "{\"name\":\"totals\",\"schema\":{\"type\":\"struct\",\"schema-id\":0,\"fields\":["
          + "{\"id\":1,\"name\":\"total\",\"type\":\"long\",\"required\":false}]},"
          + "\"view-version\":{\"version-id\":1,\"timestamp-ms\":"
          + System.currentTimeMillis()
          + ",\"schema-id\":0,\"summary\":{\"engine-name\":\"train\"},\"default-namespace\":[\""
          + namespace
          + "\"],\"representations\":[{\"type\":\"sql\",\"sql\":\"SELECT count(*) FROM events\","
          + "\"dialect\":\"spark\"}]},\"properties\":{}}";
    }

    private HttpRequest post(String path, String json) {
      return HttpRequest.newBuilder(api.resolve(path))
          .header("Content-Type", "application/json")
          .POST(BodyPublishers.ofString(json))
          .build();
    }

    private HttpRequest delete(String path) {
      return HttpRequest.newBuilder(api.resolve(path)).DELETE().build();
    }

    private static HttpRequest get(URI uri) {
      return HttpRequest.newBuilder(uri).header("Accept-Encoding", "gzip").build();
    }

    private void expect(int status, HttpRequest request) throws IOException, InterruptedException {
      send(request, status);
    }

    private HttpResponse<String> send(HttpRequest request, int status)
        throws IOException, InterruptedException {
      HttpResponse<String> response = client.send(request, BodyHandlers.ofString());
      if (response.statusCode() != status) {
        throw new IllegalStateException(
            "%s %s answered %d, not %d: %s"
                .formatted(
                    request.method(),
                    request.uri(),
                    response.statusCode(),
                    status,
                    Optional.ofNullable(response.body()).orElse("")));
      }
      return response;
    }
  }
}
