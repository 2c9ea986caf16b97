package io.bingsan.compat;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One JVM engine on a catalog, driven by another process: compat/python's cross-engine tests start
 * one per engine and app (see its {@code shells.py}), connected exactly as the Maven scenarios
 * connect theirs. Usage: {@code EngineShell spark|trino|flink <catalog-uri> <warehouse>}, on the
 * classpath and with the options the build writes to {@code target/engine-shell/}.
 *
 * <p>Once connected it answers {@code {"ready":"<engine>"}}; then reads one SQL statement per line
 * from stdin and answers each with one JSON line, {@code {"rows":[[…],…]}} or {@code
 * {"error":"…"}}. Values render stably: decimals as plain strings, binary as lowercase hex, dates
 * and timestamps in ISO form with microseconds, instants (Spark's and Flink's timestamps with a
 * zone) in UTC ending in Z, structs as arrays of their fields, maps as objects. Trino's driver
 * hands timestamps with a zone over in the JVM's zone, without one. It exits when stdin ends.
 */
public final class EngineShell {
  private static final Pattern QUERY =
      Pattern.compile("^\\s*(SELECT|WITH|SHOW|DESCRIBE|VALUES)\\b", Pattern.CASE_INSENSITIVE);
  private static final DateTimeFormatter MICROS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS", Locale.ROOT);

  private EngineShell() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      throw new IllegalArgumentException("Usage: EngineShell spark|trino|flink <uri> <warehouse>");
    }
    // Engines print banners to stdout too: only answers may go there, the rest joins the log.
    PrintStream answers = new PrintStream(new FileOutputStream(FileDescriptor.out), true, UTF_8);
    System.setOut(System.err);
    try (SqlEngine engine = connect(args[0], args[1], args[2])) {
      answers.println("{\"ready\":" + quote(args[0]) + "}");
      BufferedReader statements = new BufferedReader(new InputStreamReader(System.in, UTF_8));
      String statement;
      while ((statement = statements.readLine()) != null) {
        answers.println(answer(engine, statement));
      }
    }
    // Spark's and Flink's non-daemon threads would keep the JVM alive after close.
    System.exit(0);
  }

  private static SqlEngine connect(String engine, String uri, String warehouse) throws Exception {
    return switch (engine) {
      // Its own session catalog's files go to the working directory the caller chose.
      case "spark" ->
          SparkEngine.connect(uri, warehouse, Path.of("spark-warehouse").toAbsolutePath());
      case "trino" -> TrinoEngine.connect(uri, warehouse);
      case "flink" -> FlinkEngine.connect(uri, warehouse);
      default -> throw new IllegalArgumentException("Unknown engine " + engine);
    };
  }

  private static String answer(SqlEngine engine, String statement) {
    try {
      if (QUERY.matcher(statement).find()) {
        return "{\"rows\":" + json(engine.rows(statement)) + "}";
      }
      engine.sql(statement);
      return "{\"rows\":[]}";
    } catch (Exception e) {
      // The whole trace goes to the log; the answer carries what a user would see.
      e.printStackTrace();
      return "{\"error\":" + quote(e.getClass().getName() + ": " + e.getMessage()) + "}";
    }
  }

  private static String json(Object value) throws SQLException {
    if (value == null) {
      return "null";
    }
    if (value instanceof Boolean || value instanceof Byte || value instanceof Short
        || value instanceof Integer || value instanceof Long) {
      return value.toString();
    }
    if (value instanceof Float || value instanceof Double) {
      return number(((Number) value).doubleValue());
    }
    if (value instanceof BigDecimal decimal) {
      return quote(decimal.toPlainString());
    }
    if (value instanceof byte[] bytes) {
      return quote(HexFormat.of().formatHex(bytes));
    }
    if (value instanceof java.sql.Date date) {
      return json(date.toLocalDate());
    }
    if (value instanceof java.sql.Timestamp time) {
      return json(time.toLocalDateTime());
    }
    if (value instanceof LocalDateTime time) {
      return quote(MICROS.format(time));
    }
    if (value instanceof Instant instant) {
      return quote(MICROS.format(instant.atOffset(ZoneOffset.UTC)) + "Z");
    }
    if (value instanceof OffsetDateTime time) {
      return json(time.toInstant());
    }
    if (value instanceof ZonedDateTime time) {
      return json(time.toInstant());
    }
    if (value instanceof List<?> list) {
      return array(list);
    }
    if (value instanceof Object[] array) {
      return array(Arrays.asList(array));
    }
    if (value instanceof java.sql.Array array) {
      return json(array.getArray());
    }
    if (value instanceof Map<?, ?> map) {
      return object(map);
    }
    // LocalDate and the rest: their toString is their ISO or plain form.
    return quote(value.toString());
  }

  /** JSON has no NaN or infinities: those go as strings. */
  private static String number(double d) {
    return Double.isFinite(d) ? Double.toString(d) : quote(Double.toString(d));
  }

  private static String array(List<?> values) throws SQLException {
    StringBuilder out = new StringBuilder("[");
    for (Object value : values) {
      out.append(out.length() > 1 ? "," : "").append(json(value));
    }
    return out.append(']').toString();
  }

  private static String object(Map<?, ?> entries) throws SQLException {
    StringBuilder out = new StringBuilder("{");
    for (Map.Entry<?, ?> entry : entries.entrySet()) {
      out.append(out.length() > 1 ? "," : "")
          .append(quote(String.valueOf(entry.getKey())))
          .append(':')
          .append(json(entry.getValue()));
    }
    return out.append('}').toString();
  }

  private static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append("\\u%04x".formatted((int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
