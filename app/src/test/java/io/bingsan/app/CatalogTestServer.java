package io.bingsan.app;

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
    overrides.add(ConfigOverride.config("warehouses[0].location", root.resolve("warehouse").toString()));
    String jdbcUrl = System.getProperty("bingsan.test.jdbc-url");
    if (jdbcUrl != null && !jdbcUrl.isBlank()) {
      overrides.add(ConfigOverride.config("database.driverClass", "org.postgresql.Driver"));
      overrides.add(ConfigOverride.config("database.url", jdbcUrl));
      overrides.add(ConfigOverride.config("database.user", System.getProperty("bingsan.test.jdbc-user", "")));
      overrides.add(
          ConfigOverride.config("database.password", System.getProperty("bingsan.test.jdbc-password", "")));
    } else {
      overrides.add(ConfigOverride.config("embeddedPostgres.dataDirectory", root.resolve("postgres").toString()));
    }
    this.app =
        new DropwizardTestSupport<>(
            BingsanApplication.class,
            ResourceHelpers.resourceFilePath("test-config.yml"),
            overrides.toArray(ConfigOverride[]::new));
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

  private void stop() {
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
