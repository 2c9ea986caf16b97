package io.bingsan.adapters.postgres;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.util.Map;
import javax.sql.DataSource;
import liquibase.Scope;
import liquibase.analytics.configuration.AnalyticsArgs;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.ui.LoggerUIService;

/** Brings a database's schema up to date with the catalog's Liquibase changelog. */
public final class PostgresMigrations {
  /** The changelog's classpath location, also the name {@code db migrate} is given. */
  public static final String CHANGELOG = "db/bingsan-changelog.xml";

  private PostgresMigrations() {}

  /** Applies every changeset not yet applied; concurrent callers wait on Liquibase's lock. */
  public static void migrate(DataSource dataSource) {
    requireNonNull(dataSource, "dataSource is null");
    Map<String, Object> scope =
        Map.of(
            Scope.Attr.resourceAccessor.name(),
            new ClassLoaderResourceAccessor(PostgresMigrations.class.getClassLoader()),
            // Liquibase's console banner and its usage reporting have no place in a server.
            Scope.Attr.ui.name(),
            new LoggerUIService(),
            AnalyticsArgs.ENABLED.getKey(),
            false);
    try (Connection connection = dataSource.getConnection()) {
      Database database =
          DatabaseFactory.getInstance()
              .findCorrectDatabaseImplementation(new JdbcConnection(connection));
      Scope.child(
          scope,
          () ->
              new CommandScope(UpdateCommandStep.COMMAND_NAME)
                  .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
                  .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, CHANGELOG)
                  .execute());
    } catch (Exception e) {
      throw new IllegalStateException("Could not migrate the catalog database", e);
    }
  }
}
