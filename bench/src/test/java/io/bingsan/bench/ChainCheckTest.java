package io.bingsan.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

/** Lost and forked commits, on catalogs that keep every snapshot and on one that keeps one. */
class ChainCheckTest {
  private static final long NONE = Workloads.ChainCheck.NO_PARENT;

  @Test
  void aFullHistoryWithEveryCommitOnMainIsClean() {
    Workloads.ChainCheck check =
        Workloads.ChainCheck.of(
            table(3, snapshot(1, null), snapshot(2, 1L), snapshot(3, 2L)),
            Map.of(1L, NONE, 2L, 1L, 3L, 2L));
    assertThat(check).isEqualTo(new Workloads.ChainCheck(0, 0, 3));
  }

  @Test
  void aLostUpdateIsBothLostAndAFork() {
    // 2 and 3 were both acknowledged on parent 1; main went on from 3.
    Workloads.ChainCheck check =
        Workloads.ChainCheck.of(
            table(3, snapshot(1, null), snapshot(2, 1L), snapshot(3, 1L)),
            Map.of(1L, NONE, 2L, 1L, 3L, 1L));
    assertThat(check.lost()).isEqualTo(1);
    assertThat(check.forks()).isEqualTo(2);
  }

  @Test
  void aCatalogKeepingOnlyTheCurrentSnapshotIsCheckedThroughTheWritersParents() {
    Workloads.ChainCheck check =
        Workloads.ChainCheck.of(table(3, snapshot(3, null)), Map.of(1L, NONE, 2L, 1L, 3L, 2L));
    assertThat(check).isEqualTo(new Workloads.ChainCheck(0, 0, 1));
  }

  private static String snapshot(long id, Long parent) {
    return "{\"snapshot-id\":"
        + id
        + (parent == null ? "" : ",\"parent-snapshot-id\":" + parent)
        + "}";
  }

  private static HttpConnection.Response table(long main, String... snapshots) {
    StringJoiner list = new StringJoiner(",", "[", "]");
    for (String snapshot : snapshots) {
      list.add(snapshot);
    }
    String json =
        "{\"metadata\":{\"refs\":{\"main\":{\"snapshot-id\":"
            + main
            + ",\"type\":\"branch\"}},\"snapshots\":"
            + list
            + "}}";
    return new HttpConnection.Response(200, null, json.getBytes(UTF_8));
  }
}
