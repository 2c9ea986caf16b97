package io.bingsan.app;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.health.DefaultHealthFactory;
import io.dropwizard.util.Duration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.List;

/** Everything {@code config.yml} can set; see the comments there for each setting. */
public class BingsanConfiguration extends Configuration {
  /**
   * The database URL that asks for the embedded PostgreSQL, so that one configuration file serves
   * both, switched by an environment variable.
   */
  static final String EMBEDDED = "embedded";

  /** Beyond the server's delay and drain, time for its other parts (pools, executors) to stop. */
  private static final java.time.Duration REST_OF_STOP = java.time.Duration.ofSeconds(10);

  /** A PostgreSQL server; when absent or {@link #EMBEDDED}, the catalog starts an embedded one. */
  @Valid private DataSourceFactory database;

  @Valid @NotNull private EmbeddedPostgresFactory embeddedPostgres = new EmbeddedPostgresFactory();

  /** Applies pending migrations at start-up; off when operators run {@code db migrate}. */
  private boolean migrateOnStart = true;

  @Valid @NotEmpty private List<WarehouseFactory> warehouses = new ArrayList<>(List.of(new WarehouseFactory()));

  @Valid @NotNull private CatalogFactory catalog = new CatalogFactory();

  /** How long a node idles before it returns the memory it grew ({@link HeapReturn}); 0: never. */
  @NotNull private Duration returnIdleHeapAfter = Duration.seconds(15);

  @JsonIgnore private DataSourceFactory embeddedDatabase;

  @JsonProperty
  public DataSourceFactory getDatabase() {
    return database;
  }

  @JsonProperty
  public void setDatabase(DataSourceFactory database) {
    this.database = database;
  }

  @JsonProperty
  public EmbeddedPostgresFactory getEmbeddedPostgres() {
    return embeddedPostgres;
  }

  @JsonProperty
  public void setEmbeddedPostgres(EmbeddedPostgresFactory embeddedPostgres) {
    this.embeddedPostgres = embeddedPostgres;
  }

  @JsonProperty
  public boolean isMigrateOnStart() {
    return migrateOnStart;
  }

  @JsonProperty
  public void setMigrateOnStart(boolean migrateOnStart) {
    this.migrateOnStart = migrateOnStart;
  }

  @JsonProperty
  public Duration getReturnIdleHeapAfter() {
    return returnIdleHeapAfter;
  }

  @JsonProperty
  public void setReturnIdleHeapAfter(Duration returnIdleHeapAfter) {
    this.returnIdleHeapAfter = returnIdleHeapAfter;
  }

  @JsonProperty
  public List<WarehouseFactory> getWarehouses() {
    return warehouses;
  }

  @JsonProperty
  public void setWarehouses(List<WarehouseFactory> warehouses) {
    this.warehouses = warehouses;
  }

  @JsonProperty
  public CatalogFactory getCatalog() {
    return catalog;
  }

  @JsonProperty
  public void setCatalog(CatalogFactory catalog) {
    this.catalog = catalog;
  }

  /**
   * The database to use: the configured server, or the embedded PostgreSQL, started on first use
   * and stopped when the JVM exits.
   */
  public synchronized DataSourceFactory resolveDatabase() {
    if (database != null && !EMBEDDED.equals(database.getUrl())) {
      return database;
    }
    if (embeddedDatabase == null) {
      embeddedDatabase = embeddedPostgres.start();
    }
    return embeddedDatabase;
  }

  /**
   * How long a stopping server may take: reporting itself not ready while load balancers take it
   * out ({@code health.shutdownWaitPeriod}), draining its requests ({@code
   * server.shutdownGracePeriod}), then stopping the rest.
   */
  java.time.Duration longestServerStop() {
    java.time.Duration delay =
        getHealthFactory()
            .filter(DefaultHealthFactory.class::isInstance)
            .map(DefaultHealthFactory.class::cast)
            .filter(DefaultHealthFactory::isDelayedShutdownHandlerEnabled)
            .map(health -> health.getShutdownWaitPeriod().toJavaDuration())
            .orElse(java.time.Duration.ZERO);
    java.time.Duration drain =
        ((AbstractServerFactory) getServerFactory()).getShutdownGracePeriod().toJavaDuration();
    return delay.plus(drain).plus(REST_OF_STOP);
  }
}
