package io.bingsan.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EmbeddedPostgresServerTest {
  private final Path directory = TestDatabase.createTempDirectory();

  @AfterEach
  void deleteDirectory() {
    TestDatabase.deleteRecursively(directory);
  }

  @Test
  void dataSurvivesARestartOnTheSameDirectory() throws Exception {
    Path dataDirectory = directory.resolve("not/yet/created");
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDirectory, 0)) {
      assertThat(server.port()).isPositive();
      try (Connection connection = connect(server)) {
        execute(connection, "CREATE TABLE kept (value text)");
        execute(connection, "INSERT INTO kept VALUES ('before restart')");
        assertThat(query(connection, "SHOW fsync")).isEqualTo("on");
        assertThat(query(connection, "SHOW synchronous_commit")).isEqualTo("on");
        assertThat(query(connection, "SHOW listen_addresses")).isEqualTo("localhost");
      }
    }

    int port = freePort();
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDirectory, port)) {
      assertThat(server.port()).isEqualTo(port);
      assertThat(server.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:" + port + "/postgres");
      try (Connection connection = server.dataSource().getConnection()) {
        assertThat(query(connection, "SELECT value FROM kept")).isEqualTo("before restart");
      }
    }
  }

  private static Connection connect(EmbeddedPostgresServer server) throws SQLException {
    return DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static String query(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(sql)) {
      row.next();
      return row.getString(1);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
