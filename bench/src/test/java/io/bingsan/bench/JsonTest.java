package io.bingsan.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
}
