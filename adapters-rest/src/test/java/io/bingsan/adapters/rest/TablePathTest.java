package io.bingsan.adapters.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TablePathTest {
  /** The paths Jersey routes to a table with the same parameters, as a pattern. */
  private static final Pattern JERSEY_TABLE_PATH =
      Pattern.compile("/v1/([^/;%.][^/;%]*)/namespaces/([^/;.][^/;]*)/tables/([^/;.][^/;]*)");

  /** Segments that Jersey may or may not route, for the generated paths. */
  private static final String[] SEGMENTS = {
    "db", "a%1Fb", "t+1", "v1", ".", "..", ".x", "x.", "a;b", "%", "%77", "", "a/b"
  };

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/v1/default/namespaces/db/tables/t",
        "/v1/w/namespaces/a%1Fb/tables/my+table",
        "/v1/w/namespaces/a.b/tables/t.1",
        "/v1/w/namespaces/%2E/tables/x",
        "/v1/w/namespaces/db/tables/t/metrics",
        "/v1/w/namespaces/db/tables/",
        "/v1/w/namespaces/db/tables/.hidden",
        "/v1/w/namespaces/../tables/t",
        "/v1/w;x=1/namespaces/db/tables/t",
        "/v1/w/namespaces/db/tables/t;x=1",
        "/v1/%77/namespaces/db/tables/t",
        "/v1/.w/namespaces/db/tables/t",
        "/v1/namespaces/db/tables/t",
        "/v1/w/namespaces/db/views/t",
        "/v1/config",
        "/v2/w/namespaces/db/tables/t",
        ""
      })
  void readsExactlyThePathsJerseyRoutesToATable(String path) {
    assertAgreesWithJersey(path);
  }

  @Test
  void agreesWithJerseysRouteOnGeneratedPaths() {
    Random random = new Random(20261124);
    int tablePaths = 0;
    for (int i = 0; i < 20_000; i++) {
      // The table route's shape, each part sometimes replaced by another.
      String path =
          pick(random, "/v1/", "/v2/", "/")
              + pick(random, SEGMENTS)
              + pick(random, "/namespaces/", "/views/", "/")
              + pick(random, SEGMENTS)
              + pick(random, "/tables/", "/namespaces/", "/tables")
              + pick(random, SEGMENTS)
              + pick(random, "", "/", "/metrics", ";x=1");
      tablePaths += assertAgreesWithJersey(path) ? 1 : 0;
    }
    // The generator must reach both answers for the comparison to mean anything.
    assertThat(tablePaths).isBetween(100, 19_900);
  }

  /** The first choice half the time, else any. */
  private static String pick(Random random, String... choices) {
    return choices[random.nextBoolean() ? 0 : random.nextInt(choices.length)];
  }

  /** Whether the path is a table's, after checking that both readings agree on it. */
  private static boolean assertAgreesWithJersey(String path) {
    Matcher jersey = JERSEY_TABLE_PATH.matcher(path);
    TablePath parsed = TablePath.parse(path);
    if (!jersey.matches()) {
      assertThat(parsed).as(path).isNull();
      return false;
    }
    assertThat(parsed)
        .as(path)
        .isEqualTo(new TablePath(jersey.group(1), jersey.group(2), jersey.group(3)));
    return true;
  }
}
