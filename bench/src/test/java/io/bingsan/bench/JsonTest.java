package io.bingsan.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {
  @Test
  void parsesWhatCatalogsSend() {
    Object parsed =
        Json.parse(
            "{\"metadata\": {\"refs\": {\"main\": {\"snapshot-id\": 9223372036854775807}},"
                + " \"rate\": 1.5e3, \"ok\": true, \"none\": null, \"names\": [\"a\\u00e9\\n"
                + "\", \"b\"]}}");
    assertThat(Json.at(parsed, "metadata", "refs", "main", "snapshot-id"))
        .isEqualTo(Long.MAX_VALUE);
    assertThat(Json.at(parsed, "metadata", "rate")).isEqualTo(1500.0);
    assertThat(Json.at(parsed, "metadata", "ok")).isEqualTo(true);
    assertThat(Json.at(parsed, "metadata", "none")).isNull();
    assertThat(Json.at(parsed, "metadata", "names")).isEqualTo(List.of("aé\n", "b"));
    assertThat(Json.at(parsed, "metadata", "missing", "deeper")).isNull();
  }

  @Test
  void writesCompactAndPrettyAlike() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("name", "quote\" and \\ slash");
    value.put("list", List.of(1, 2.5, Map.of()));
    value.put("nothing", null);
    value.put("nan", Double.NaN);
    String compact = Json.write(value);
    assertThat(compact)
        .isEqualTo(
            "{\"name\":\"quote\\\" and \\\\"
                + " slash\",\"list\":[1,2.5,{}],\"nothing\":null,\"nan\":null}");
    assertThat(Json.parse(Json.pretty(value))).isEqualTo(Json.parse(compact));
  }

  @Test
  void rejectsBrokenInput() {
    assertThatThrownBy(() -> Json.parse("{\"a\": 1,}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Json.parse("[1] 2")).hasMessageContaining("trailing");
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
  void parsingOnlySomePathsBuildsThemAsTheFullParseDoesAndNothingElse(long seed) {
    Random random = new Random(seed);
    Object document = randomObject(random, 4);
    List<List<String>> paths = new ArrayList<>();
    collectPaths(document, new ArrayList<>(), paths);
    List<String> chosen = new ArrayList<>();
    for (List<String> path : paths) {
      if (random.nextInt(4) == 0) {
        chosen.add(String.join("/", path));
      }
    }
    String text = random.nextBoolean() ? Json.pretty(document) : Json.write(document);

    Object full = Json.parse(text);
    Object pruned = Json.parseOnly(text, chosen.toArray(String[]::new));

    for (List<String> path : paths) {
      String[] keys = path.toArray(String[]::new);
      String joined = String.join("/", path) + "/";
      if (chosen.stream().anyMatch(c -> joined.startsWith(c + "/"))) {
        assertThat(Json.at(pruned, keys)).as(joined).isEqualTo(Json.at(full, keys));
      } else if (chosen.stream().anyMatch(c -> (c + "/").startsWith(joined))) {
        assertThat(Json.at(pruned, keys)).as(joined).isInstanceOf(Map.class);
      } else {
        assertThat(Json.at(pruned, keys)).as(joined).isNull();
      }
    }
  }

  /** An object of nested values, with keys and strings holding JSON's own punctuation. */
  private static Map<String, Object> randomObject(Random random, int depth) {
    Map<String, Object> object = new LinkedHashMap<>();
    int size = random.nextInt(5);
    for (int i = 0; i < size; i++) {
      object.put("k" + i + (random.nextBoolean() ? "\"\\{[,:" : ""), randomValue(random, depth));
    }
    return object;
  }

  private static Object randomValue(Random random, int depth) {
    return switch (random.nextInt(depth > 0 ? 8 : 6)) {
      case 0 -> random.nextLong();
      case 1 -> random.nextDouble() * 1e6;
      case 2 -> random.nextBoolean();
      case 3 -> null;
      case 4 -> "s\"]},[{\\ " + random.nextInt(100);
      case 5 -> "plain";
      case 6 -> {
        List<Object> list = new ArrayList<>();
        int size = random.nextInt(4);
        for (int i = 0; i < size; i++) {
          list.add(randomValue(random, depth - 1));
        }
        yield list;
      }
      default -> randomObject(random, depth - 1);
    };
  }

  /** Every path of object keys in {@code value}, leaves and the objects leading to them. */
  private static void collectPaths(Object value, List<String> path, List<List<String>> paths) {
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        List<String> child = new ArrayList<>(path);
        child.add((String) entry.getKey());
        paths.add(child);
        collectPaths(entry.getValue(), child, paths);
      }
    }
  }
}
