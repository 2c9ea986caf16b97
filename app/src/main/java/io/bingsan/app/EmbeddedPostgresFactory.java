package io.bingsan.app;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.bingsan.adapters.postgres.EmbeddedPostgresServer;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.lifecycle.setup.LifecycleEnvironment;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.util.component.LifeCycle;

/** The PostgreSQL the catalog starts itself when {@code database} names no server. */
public class EmbeddedPostgresFactory {
  @NotBlank private String dataDirectory = "./data/postgres";

  /** 0 picks a free port on every start. */
  @Min(0)
  @Max(65535)
  private int port = 0;

  @JsonIgnore private EmbeddedPostgresServer server;

  @JsonProperty
  public String getDataDirectory() {
    return dataDirectory;
  }

  @JsonProperty
  public void setDataDirectory(String dataDirectory) {
    this.dataDirectory = dataDirectory;
  }

  @JsonProperty
  public int getPort() {
    return port;
  }

  @JsonProperty
  public void setPort(int port) {
    this.port = port;
  }

  /**
   * Starts PostgreSQL on the data directory and returns a pool configuration for it; it stops when
   * the JVM exits, or at {@link #stop()}.
   */
  DataSourceFactory start() {
    server = EmbeddedPostgresServer.start(Path.of(dataDirectory).toAbsolutePath(), port);
    DataSourceFactory database = new DataSourceFactory();
    database.setDriverClass("org.postgresql.Driver");
    database.setUrl(server.jdbcUrl());
    database.setUser(server.user());
    database.setPassword(server.password());
    // Statements never run unbounded; a stuck query fails its request instead of holding it.
    database.setProperties(Map.of("options", "-c statement_timeout=30000"));
    return database;
  }

  /**
   * Keeps the PostgreSQL {@link #start()} started, if any, running at JVM exit until the web server
   * has stopped (for at most {@code limit}), so requests it drains after the stop signal are still
   * answered. Without this, the JVM would stop both at once.
   */
  void outliveServer(LifecycleEnvironment lifecycle, Duration limit) {
    if (server == null) {
      return;
    }
    lifecycle.addServerLifecycleListener(
        jetty -> server.stopAtExitAfter(stopped(jetty), limit));
  }

  private static CompletableFuture<Void> stopped(LifeCycle jetty) {
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    jetty.addEventListener(
        new LifeCycle.Listener() {
          @Override
          public void lifeCycleStopped(LifeCycle event) {
            stopped.complete(null);
          }

          @Override
          public void lifeCycleFailure(LifeCycle event, Throwable cause) {
            stopped.complete(null);
          }
        });
    if (jetty.isStopped() || jetty.isFailed()) {
      stopped.complete(null);
    }
    return stopped;
  }

  /** Stops the PostgreSQL {@link #start()} started, if any, and waits until it has stopped. */
  void stop() {
    if (server != null) {
      server.close();
    }
  }
}
