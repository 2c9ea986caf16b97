package io.bingsan.adapters.postgres;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.jdbi.v3.core.argument.Argument;

/**
 * Binds and reads the column types JDBI does not handle alike under every plugin set, so that the
 * adapter works with whatever {@code Jdbi} the application configured.
 */
final class SqlValues {
  private SqlValues() {}

  static Argument textArray(List<String> values) {
    return (position, statement, context) ->
        statement.setArray(
            position, statement.getConnection().createArrayOf("text", values.toArray()));
  }

  static Argument timestamp(Instant instant) {
    return (position, statement, context) ->
        statement.setObject(
            position, instant.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
  }

  static List<String> textArray(ResultSet row, String column) throws SQLException {
    Array array = row.getArray(column);
    try {
      return List.of((String[]) array.getArray());
    } finally {
      array.free();
    }
  }
}
