package io.bingsan.app;

import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.rest.RESTCatalog;

/**
 * One running Bingsan per test JVM, started as a user starts it: the real application on embedded
 * PostgreSQL, or on the PostgreSQL server named by {@code bingsan.test.jdbc-url} (CI runs both).
 * Tests share it and keep apart by using namespaces of their own.
 */
public final class CatalogTestServer {
  public static final String WAREHOUSE = "test";

  private static CatalogTestServer shared;

  private final DropwizardTestSupport<BingsanConfiguration> app;
  private final Path root;

  private CatalogTestServer() {
    try {
      this.root = Files.createTempDirectory("bingsan-test-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<ConfigOverride> overrides = new ArrayList<>();
    String jdbcUrl = System.getProperty("bingsan.test.jdbc-url");
    if (jdbcUrl != null && !jdbcUrl.isBlank()) {
      overrides.addAll(
          database(
              jdbcUrl,
              System.getProperty("bingsan.test.jdbc-user", ""),
              System.getProperty("bingsan.test.jdbc-password", "")));
    } else {
      overrides.add(ConfigOverride.config("embeddedPostgres.dataDirectory", root.resolve("postgres").toString()));
    }
    this.app = newApp(root, overrides);
  }

  /** Another node of the same catalog: its database and warehouse, a JVM-local app of its own. */
  private CatalogTestServer(CatalogTestServer first) {
    this.root = first.root;
    DataSourceFactory database = first.database();
    this.app =
        newApp(root, database(database.getUrl(), database.getUser(), database.getPassword()));
  }

  private static DropwizardTestSupport<BingsanConfiguration> newApp(
      Path root, List<ConfigOverride> overrides) {
    List<ConfigOverride> all = new ArrayList<>(overrides);
    all.add(ConfigOverride.config("warehouses[0].location", root.resolve("warehouse").toString()));
    return new DropwizardTestSupport<>(
        BingsanApplication.class,
        ResourceHelpers.resourceFilePath("test-config.yml"),
        all.toArray(ConfigOverride[]::new));
  }

  private static List<ConfigOverride> database(String url, String user, String password) {
    return List.of(
        ConfigOverride.config("database.driverClass", "org.postgresql.Driver"),
        ConfigOverride.config("database.url", url),
        ConfigOverride.config("database.user", user == null ? "" : user),
        ConfigOverride.config("database.password", password == null ? "" : password));
  }

  /** Starts a second node on the shared server's database; the caller stops it. */
  public static CatalogTestServer startSecondNode() {
    CatalogTestServer node = new CatalogTestServer(shared());
    node.start();
    return node;
  }

  /** The database this node runs on, the embedded one resolved to its address. */
  public DataSourceFactory database() {
    return app.getConfiguration().resolveDatabase();
  }

  public static synchronized CatalogTestServer shared() {
    if (shared == null) {
      CatalogTestServer server = new CatalogTestServer();
      server.start();
      Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "catalog-test-server-stop"));
      shared = server;
    }
    return shared;
  }

  private void start() {
    try {
      app.before();
    } catch (Exception e) {
      throw new IllegalStateException("Bingsan did not start", e);
    }
  }

  public void stop() {
    app.after();
  }

  public String uri() {
    return "http://127.0.0.1:" + app.getLocalPort() + "/";
  }

  public int adminPort() {
    return app.getAdminPort();
  }

  public Path root() {
    return root;
  }

  /** Iceberg's own REST client, connected to this server. */
  public RESTCatalog newClient(Map<String, String> extraProperties) {
    Map<String, String> properties = new HashMap<>();
    properties.put("uri", uri());
    properties.put("warehouse", WAREHOUSE);
    properties.putAll(extraProperties);
    RESTCatalog catalog = new RESTCatalog();
    catalog.setConf(new Configuration());
    catalog.initialize("bingsan", properties);
    return catalog;
  }
}
