package io.bingsan.adapters.postgres;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.ServiceFailureException;
import org.apache.iceberg.exceptions.ServiceUnavailableException;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.transaction.TransactionException;

/**
 * Runs the adapters' SQL and translates its failures at the adapter boundary: a unique violation
 * is {@link AlreadyExistsException}; a failure whose outcome the caller cannot know (connection
 * lost, timeout, server shutting down, a conflict that outlived the retries) is {@link
 * ServiceUnavailableException}; any other failure is definite, {@link ServiceFailureException}.
 * The catalog's own exceptions thrown by the work pass through unchanged.
 */
final class Database {
  private static final int MAX_ATTEMPTS = 3;

  /** Serialization failures and deadlocks roll the whole transaction back: a rerun is safe. */
  private static final Set<String> ROLLED_BACK_CONFLICTS = Set.of("40001", "40P01");
  private static final String UNIQUE_VIOLATION = "23505";

  /**
   * SQLSTATE classes of infrastructure failures: connection, transaction rollback, insufficient
   * resources, operator intervention (cancel, timeout, shutdown), system error; and lock timeout.
   */
  private static final Set<String> UNAVAILABLE_CLASSES = Set.of("08", "40", "53", "57", "58");

  private static final String LOCK_NOT_AVAILABLE = "55P03";

  private final Jdbi jdbi;

  Database(Jdbi jdbi) {
    this.jdbi = requireNonNull(jdbi, "jdbi is null");
  }

  <T> T read(HandleCallback<T, SQLException> work) {
    try {
      return jdbi.withHandle(work);
    } catch (JdbiException | SQLException e) {
      throw translate(e);
    }
  }

  /**
   * Runs one read-only query on a connection of its own, taken from the pool directly: a JDBI
   * handle's set-up (its configuration copied, its connection's state checked) cost more than the
   * pointer reads every load makes.
   */
  static <T> T query(DataSource pool, String sql, Parameters parameters, ResultReader<T> reader) {
    try (Connection connection = connect(pool)) {
      return query(connection, sql, parameters, reader);
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  private static Connection connect(DataSource pool) {
    try {
      return pool.getConnection();
    } catch (SQLException e) {
      throw translate(new ConnectionException(e));
    }
  }

  /** Runs one read-only query through plain JDBC on the handle's connection. */
  static <T> T query(Handle handle, String sql, Parameters parameters, ResultReader<T> reader)
      throws SQLException {
    return query(handle.getConnection(), sql, parameters, reader);
  }

  /**
   * The hot reads skip JDBI's per-statement rendering, parsing and logging, and run on the
   * driver's own connection: every call through the pool's facade, each row's included, goes
   * through reflection. The statement is closed here; the pool's connection, by the caller.
   */
  private static <T> T query(
      Connection pooled, String sql, Parameters parameters, ResultReader<T> reader)
      throws SQLException {
    try (PreparedStatement statement = driverConnection(pooled).prepareStatement(sql)) {
      parameters.set(statement);
      try (ResultSet result = statement.executeQuery()) {
        return reader.read(result);
      }
    }
  }

  /**
   * Runs one write through plain JDBC, as {@link #query(Handle, String, Parameters,
   * ResultReader)} reads, for the statement every commit runs. A failure is JDBI's, as any other
   * statement's, so that it rolls back and reads the same.
   */
  static int update(Handle handle, String sql, Parameters parameters) {
    try (PreparedStatement statement =
        driverConnection(handle.getConnection()).prepareStatement(sql)) {
      parameters.set(statement);
      return statement.executeUpdate();
    } catch (SQLException e) {
      throw new UnableToExecuteStatementException(e, null);
    }
  }

  /** Runs one statement of any kind, its results unread, in the handle's transaction. */
  static void execute(Handle handle, String sql, Parameters parameters) {
    try {
      execute(handle.getConnection(), sql, parameters);
    } catch (SQLException e) {
      throw new UnableToExecuteStatementException(e, null);
    }
  }

  /** Runs one statement of any kind, its results unread, on a pool connection of its own. */
  static void execute(DataSource pool, String sql, Parameters parameters) {
    try (Connection connection = connect(pool)) {
      execute(connection, sql, parameters);
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  private static void execute(Connection pooled, String sql, Parameters parameters)
      throws SQLException {
    try (PreparedStatement statement = driverConnection(pooled).prepareStatement(sql)) {
      parameters.set(statement);
      statement.execute();
    }
  }

  private static Connection driverConnection(Connection pooled) throws SQLException {
    return pooled.unwrap(Connection.class);
  }

  @FunctionalInterface
  interface Parameters {
    void set(PreparedStatement statement) throws SQLException;
  }

  @FunctionalInterface
  interface ResultReader<T> {
    T read(ResultSet result) throws SQLException;
  }

  /** Runs the work in one transaction, all or nothing. */
  <T> T inTransaction(HandleCallback<T, RuntimeException> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return jdbi.inTransaction(work);
      } catch (JdbiException e) {
        if (attempt == MAX_ATTEMPTS || !ROLLED_BACK_CONFLICTS.contains(sqlState(e))) {
          throw translate(e);
        }
      }
    }
  }

  private static RuntimeException translate(Exception failure) {
    String state = sqlState(failure);
    if (UNIQUE_VIOLATION.equals(state)) {
      return new AlreadyExistsException(failure, "Already exists: created concurrently");
    }
    if (isOutcomeUnknown(failure, state)) {
      return new ServiceUnavailableException(failure, "The catalog database is unavailable");
    }
    return new ServiceFailureException(failure, "The catalog database failed");
  }

  private static boolean isOutcomeUnknown(Exception failure, String state) {
    if (failure instanceof ConnectionException) {
      return true;
    }
    SQLException sql = sqlCause(failure);
    if (sql == null) {
      // A commit or rollback that failed without a server answer may or may not have landed.
      return failure instanceof TransactionException;
    }
    return sql instanceof SQLTransientException
        || sql instanceof SQLRecoverableException
        || sql instanceof SQLNonTransientConnectionException
        || LOCK_NOT_AVAILABLE.equals(state)
        || (state != null
            && state.length() == 5
            && UNAVAILABLE_CLASSES.contains(state.substring(0, 2)));
  }

  private static String sqlState(Exception failure) {
    SQLException sql = sqlCause(failure);
    return sql == null ? null : sql.getSQLState();
  }

  private static SQLException sqlCause(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql) {
        return sql;
      }
    }
    return null;
  }
}
