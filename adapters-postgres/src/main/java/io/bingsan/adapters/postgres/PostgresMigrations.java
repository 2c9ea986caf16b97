package io.bingsan.adapters.postgres;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import liquibase.GlobalConfiguration;
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
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/** Brings a database's schema up to date with the catalog's Liquibase changelog. */
public final class PostgresMigrations {
  /** The changelog's classpath location, also the name {@code db migrate} is given. */
  public static final String CHANGELOG = "db/bingsan-changelog.xml";

  private record ChangeSetId(String id, String author) {}

  private PostgresMigrations() {}

  /**
   * Applies every changeset not yet applied; concurrent callers wait on Liquibase's lock. When
   * every changeset is already recorded, Liquibase is not started at all: loading it costs seconds
   * of every node's start-up. {@code db migrate} always runs it, checksum validation included.
   * The connection goes back to a pool the catalog uses: Liquibase's auto-commit switch is undone.
   */
  public static void migrate(DataSource dataSource) {
    requireNonNull(dataSource, "dataSource is null");
    try (Connection connection = dataSource.getConnection()) {
      if (!isUpToDate(connection)) {
        boolean autoCommit = connection.getAutoCommit();
        try {
          update(connection);
        } finally {
          connection.setAutoCommit(autoCommit);
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("Could not migrate the catalog database", e);
    }
  }

  /** Whether the database records every changeset of the changelog as applied. */
  static boolean isUpToDate(Connection connection) throws SQLException {
    try (PreparedStatement exists =
            connection.prepareStatement("SELECT to_regclass('databasechangelog') IS NOT NULL");
        ResultSet result = exists.executeQuery()) {
      if (!result.next() || !result.getBoolean(1)) {
        return false;
      }
    }
    Set<ChangeSetId> applied = new HashSet<>();
    try (PreparedStatement select =
        connection.prepareStatement("SELECT id, author FROM databasechangelog WHERE filename = ?")) {
      select.setString(1, CHANGELOG);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          applied.add(new ChangeSetId(rows.getString("id"), rows.getString("author")));
        }
      }
    }
    return applied.containsAll(changeSets());
  }

  private static Set<ChangeSetId> changeSets() {
    try (InputStream changelog =
        PostgresMigrations.class.getClassLoader().getResourceAsStream(CHANGELOG)) {
      if (changelog == null) {
        throw new IllegalStateException("The changelog " + CHANGELOG + " is not on the classpath");
      }
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      NodeList elements =
          factory.newDocumentBuilder().parse(changelog).getElementsByTagName("changeSet");
      Set<ChangeSetId> ids = new HashSet<>();
      for (int i = 0; i < elements.getLength(); i++) {
        Element changeSet = (Element) elements.item(i);
        ids.add(new ChangeSetId(changeSet.getAttribute("id"), changeSet.getAttribute("author")));
      }
      return ids;
    } catch (IOException | ParserConfigurationException | SAXException e) {
      throw new IllegalStateException("Could not read the changelog " + CHANGELOG, e);
    }
  }

  private static void update(Connection connection) throws Exception {
    Map<String, Object> scope =
        Map.of(
            Scope.Attr.resourceAccessor.name(),
            new ClassLoaderResourceAccessor(PostgresMigrations.class.getClassLoader()),
            // Liquibase's console banner and its usage reporting have no place in a server.
            Scope.Attr.ui.name(),
            new LoggerUIService(),
            AnalyticsArgs.ENABLED.getKey(),
            false,
            // Checking the changelog against Liquibase's XSD costs a few hundred milliseconds of a
            // first start; the build's tests apply this changelog, and `db migrate` validates it.
            GlobalConfiguration.VALIDATE_XML_CHANGELOG_FILES.getKey(),
            false);
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
  }
}
