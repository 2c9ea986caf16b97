package io.bingsan.app;

import io.bingsan.adapters.objectstore.FileIoMetadataFileStore;
import io.bingsan.adapters.objectstore.LocalFileIO;
import io.bingsan.adapters.postgres.NodeLeases;
import io.bingsan.adapters.postgres.PostgresCatalogStore;
import io.bingsan.adapters.postgres.PostgresIdempotencyStore;
import io.bingsan.adapters.postgres.PostgresMigrations;
import io.bingsan.adapters.rest.IcebergRestApi;
import io.bingsan.adapters.rest.RestSettings;
import io.bingsan.domain.commit.CommitRetryPolicy;
import io.bingsan.ports.out.IdGenerator;
import io.bingsan.ports.out.IdempotencyStore;
import io.bingsan.service.CatalogServices;
import io.bingsan.service.MetadataCache;
import io.bingsan.service.Warehouses;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.server.ServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.jdbi3.JdbiFactory;
import io.dropwizard.jetty.ConnectorFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.dropwizard.lifecycle.Managed;
import io.dropwizard.migrations.MigrationsBundle;
import jakarta.servlet.DispatcherType;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.UriCompliance;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the catalog from its configuration: the whole wiring is here, with {@code new}. */
public class BingsanApplication extends Application<BingsanConfiguration> {
  /** The readiness check config.yml's {@code health} block refers to. */
  static final String DATABASE_HEALTH_CHECK = "postgresql";

  private static final Logger LOG = LoggerFactory.getLogger(BingsanApplication.class);

  private static final String MAX_CACHED_NIO_BUFFER = "jdk.nio.maxCachedBufferSize";

  /**
   * What Iceberg clients put in paths and Jetty's URI compliance modes refuse before any servlet
   * runs: {@code %1F} between namespace levels, {@code %2F} inside a level, and an empty namespace
   * segment, which the client sends when a table named like a metadata table ({@code history},
   * {@code files}, …) is missing and it looks for {@code namespaces//tables/<namespace>} instead.
   */
  static final UriCompliance.Violation[] ICEBERG_PATHS = {
    UriCompliance.Violation.SUSPICIOUS_PATH_CHARACTERS,
    UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
    UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT
  };

  public static void main(String[] args) throws Exception {
    BuildCheck.requireClassesOfThisJar();
    // Each thread that writes a large heap buffer to a channel would otherwise keep a direct copy
    // of its size for good (the 10,000-snapshot responses left about 30 MiB so held).
    if (System.getProperty(MAX_CACHED_NIO_BUFFER) == null) {
      System.setProperty(MAX_CACHED_NIO_BUFFER, Integer.toString(64 * 1024));
    }
    new BingsanApplication().run(args);
  }

  @Override
  public String getName() {
    return "bingsan";
  }

  @Override
  public void initialize(Bootstrap<BingsanConfiguration> bootstrap) {
    bootstrap.setMetricRegistry(new LockFreeMetricRegistry());
    bootstrap.addCommand(new TrainCommand(this));
    bootstrap.setConfigurationSourceProvider(
        new SubstitutingSourceProvider(
            bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
    bootstrap.addBundle(
        new MigrationsBundle<>() {
          @Override
          public DataSourceFactory getDataSourceFactory(BingsanConfiguration configuration) {
            return configuration.resolveDatabase();
          }

          @Override
          public String getMigrationsFileName() {
            return PostgresMigrations.CHANGELOG;
          }
        });
  }

  @Override
  public void run(BingsanConfiguration configuration, Environment environment) throws Exception {
    HeapReturn.start(
        configuration.getReturnIdleHeapAfter().toJavaDuration(),
        () -> environment.lifecycle().scheduledExecutorService("heap-return", true).build());
    // Every error must be Iceberg's ErrorModel, so Dropwizard's own mappers stay out.
    ((AbstractServerFactory) configuration.getServerFactory())
        .setRegisterDefaultExceptionMappers(false);
    acceptIcebergPaths(configuration.getServerFactory(), environment);

    DataSourceFactory database = configuration.resolveDatabase();
    configuration
        .getEmbeddedPostgres()
        .outliveServer(environment.lifecycle(), configuration.longestServerStop());
    // One pool for the migration check and the catalog: each new connection costs a TLS handshake
    // and a SCRAM key derivation, the largest part of start-up.
    ManagedDataSource dataSource = database.build(environment.metrics(), DATABASE_HEALTH_CHECK);
    if (configuration.isMigrateOnStart()) {
      StartupMigration.runWhileStarting(dataSource, environment.getApplicationContext());
    }
    Jdbi jdbi =
        new JdbiFactory().build(environment, database, dataSource, DATABASE_HEALTH_CHECK);
    PrometheusEndpoint.register(environment);
    CatalogFactory catalog = configuration.getCatalog();
    NodeLeases leases =
        new NodeLeases(unpooled(database), dataSource, catalog.getNodeLease().toJavaDuration());
    // Taken once serving: the lease's connection would only slow the start down.
    environment.lifecycle().addServerLifecycleListener(server -> leases.start());
    environment.lifecycle().manage(
        new Managed() {
          @Override
          public void stop() {
            leases.close();
          }
        });
    PostgresCatalogStore store = new PostgresCatalogStore(jdbi, dataSource, leases);

    Warehouses warehouses =
        new Warehouses(
            configuration.getWarehouses().stream().map(WarehouseFactory::build).toList());
    CatalogServices services =
        new CatalogServices(
            warehouses,
            new CatalogServices.Ports(
                store,
                store,
                store,
                new FileIoMetadataFileStore(Map.of("file", new LocalFileIO())),
                store,
                IdGenerator.random(),
                Clock.systemUTC(),
                leases),
            new MetadataCache(catalog.getMetadataCacheSize().toBytes()),
            new CommitRetryPolicy(
                catalog.getCommitAttempts(),
                catalog.getCommitMinBackoff().toJavaDuration(),
                catalog.getCommitMaxBackoff().toJavaDuration()),
            catalog.getCommitTurnWait().toJavaDuration());

    PostgresIdempotencyStore idempotency = new PostgresIdempotencyStore(jdbi);
    sweepExpiredIdempotencyRecords(idempotency, environment);
    IcebergRestApi api =
        new IcebergRestApi(
            services,
            warehouses,
            idempotency,
            new RestSettings(
                catalog.getMaxRequestSize().toBytes(),
                catalog.getIdempotencyKeyLifetime().toJavaDuration(),
                catalog.getIdempotencyWait().toJavaDuration(),
                catalog.getResponseCacheSize().toBytes(),
                // Table responses deflate like the rest, at the server's gzip level.
                ((AbstractServerFactory) configuration.getServerFactory())
                    .getGzipFilterFactory()
                    .getDeflateCompressionLevel()));
    api.registerWith(environment.jersey().getResourceConfig());
    environment
        .servlets()
        .addFilter("unread-bodies", api.unreadBodies())
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
    environment
        .servlets()
        .addFilter("table-commits", api.tableCommits())
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/v1/*");
    environment
        .lifecycle()
        .addEventListener(
            new TableLoadRoute(api, environment.getApplicationContext(), environment.metrics()));
  }

  /** Connections to the catalog's database outside the pool, as the pool's are configured. */
  private static NodeLeases.ConnectionSource unpooled(DataSourceFactory database) {
    Properties properties = new Properties();
    properties.putAll(database.getProperties());
    if (database.getUser() != null) {
      properties.setProperty("user", database.getUser());
    }
    if (database.getPassword() != null) {
      properties.setProperty("password", database.getPassword());
    }
    return () -> DriverManager.getConnection(database.getUrl(), properties);
  }

  /**
   * Adds {@link #ICEBERG_PATHS} to the URI compliance each application connector is configured
   * with, and lets the servlet layer decode them; Jersey's resources take the path still encoded.
   */
  private static void acceptIcebergPaths(ServerFactory server, Environment environment) {
    for (ConnectorFactory connector : ServerConnectors.application(server)) {
      if (connector instanceof HttpConnectorFactory http) {
        UriCompliance configured = http.getUriCompliance();
        http.setUriCompliance(configured.with(configured.getName() + "+iceberg", ICEBERG_PATHS));
      }
    }
    environment.getApplicationContext().getServletHandler().setDecodeAmbiguousURIs(true);
  }

  private static void sweepExpiredIdempotencyRecords(
      IdempotencyStore idempotency, Environment environment) {
    ScheduledExecutorService sweeper =
        environment.lifecycle().scheduledExecutorService("idempotency-sweeper").threads(1).build();
    sweeper.scheduleWithFixedDelay(
        () -> {
          try {
            idempotency.deleteExpired(Instant.now());
          } catch (RuntimeException e) {
            LOG.warn("Could not delete expired idempotency records; retrying later", e);
          }
        },
        1,
        5,
        TimeUnit.MINUTES);
  }
}
