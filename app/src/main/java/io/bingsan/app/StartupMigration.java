package io.bingsan.app;

import io.bingsan.adapters.postgres.PostgresMigrations;
import io.bingsan.service.Futures;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * The start-up migration, on its own thread while the rest of the server starts: a first start
 * spends seconds in Liquibase and about as long building Jersey, and two CPUs do both at once. The
 * application's context waits for it once the context has started, which is before Jetty's
 * connectors accept anything: no request meets a missing table, and a failed migration fails the
 * start.
 */
final class StartupMigration {
  private StartupMigration() {}

  static void runWhileStarting(DataSource dataSource, ContextHandler applicationContext) {
    CompletableFuture<Void> migrated =
        CompletableFuture.runAsync(
            () -> PostgresMigrations.migrate(dataSource),
            migration -> Thread.ofPlatform().name("schema-migration").start(migration));
    applicationContext.addEventListener(
        new LifeCycle.Listener() {
          @Override
          public void lifeCycleStarted(LifeCycle context) {
            Futures.join(migrated);
          }
        });
  }
}
