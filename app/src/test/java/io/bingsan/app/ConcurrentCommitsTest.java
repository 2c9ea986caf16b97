package io.bingsan.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.relocated.com.google.common.collect.ImmutableMap;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/**
 * Sixteen Iceberg clients append at once, to one table and to a table each: every acknowledged
 * append is in the final table exactly once and the snapshot history is one unbroken chain.
 */
class ConcurrentCommitsTest {
  private static final int CLIENTS = 16;
  private static final int APPENDS_PER_CLIENT = 5;
  private static final Schema SCHEMA =
      new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));

  private final CatalogTestServer server = CatalogTestServer.shared();

  @Test
  void appendsToOneHotTableAreNeverLost() throws Exception {
    Namespace namespace = freshNamespace();
    TableIdentifier id = TableIdentifier.of(namespace, "hot");
    try (RESTCatalog admin = server.newClient(Map.of())) {
      // Clients retry a 409 after refreshing; enough retries let every writer through.
      admin.createTable(id, SCHEMA, null, ImmutableMap.of("commit.retry.num-retries", "100",
          "commit.retry.min-wait-ms", "5", "commit.retry.max-wait-ms", "200"));
    }

    Outcome outcome = appendConcurrently(client -> id);

    assertThat(outcome.failures()).allSatisfy(f -> assertThat(f).isInstanceOf(CommitFailedException.class));
    try (RESTCatalog reader = server.newClient(Map.of())) {
      Table table = reader.loadTable(id);
      assertThat(dataFiles(table)).containsExactlyInAnyOrderElementsOf(outcome.acknowledged());
      List<Long> chain = SnapshotUtil.currentAncestorIds(table);
      assertThat(chain).hasSize(outcome.acknowledged().size()).doesNotHaveDuplicates();
      assertThat(table.snapshots()).hasSize(chain.size());
    }
  }

  @Test
  void appendsToDistinctTablesNeverConflict() throws Exception {
    Namespace namespace = freshNamespace();
    try (RESTCatalog admin = server.newClient(Map.of())) {
      for (int client = 0; client < CLIENTS; client++) {
        admin.createTable(TableIdentifier.of(namespace, "t" + client), SCHEMA);
      }
    }

    Outcome outcome = appendConcurrently(client -> TableIdentifier.of(namespace, "t" + client));

    assertThat(outcome.failures()).isEmpty();
    assertThat(outcome.acknowledged()).hasSize(CLIENTS * APPENDS_PER_CLIENT);
    try (RESTCatalog reader = server.newClient(Map.of())) {
      Set<String> found = new HashSet<>();
      for (int client = 0; client < CLIENTS; client++) {
        Table table = reader.loadTable(TableIdentifier.of(namespace, "t" + client));
        assertThat(SnapshotUtil.currentAncestorIds(table)).hasSize(APPENDS_PER_CLIENT);
        found.addAll(dataFiles(table));
      }
      assertThat(found).containsExactlyInAnyOrderElementsOf(outcome.acknowledged());
    }
  }

  private record Outcome(List<String> acknowledged, List<Throwable> failures) {}

  private interface TableChoice {
    TableIdentifier forClient(int client);
  }

  private Outcome appendConcurrently(TableChoice choice) throws Exception {
    ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int client = 0; client < CLIENTS; client++) {
        TableIdentifier id = choice.forClient(client);
        futures.add(
            pool.submit(
                () -> {
                  try (RESTCatalog catalog = server.newClient(Map.of())) {
                    Table table = catalog.loadTable(id);
                    start.await();
                    for (int i = 0; i < APPENDS_PER_CLIENT; i++) {
                      DataFile file = RestCatalogEndToEndTest.dataFile(table, "c");
                      try {
                        table.newFastAppend().appendFile(file).commit();
                        acknowledged.add(file.location());
                      } catch (CommitFailedException e) {
                        failures.add(e);
                      }
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> future : futures) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return new Outcome(List.copyOf(acknowledged), List.copyOf(failures));
  }

  private static List<String> dataFiles(Table table) throws Exception {
    List<String> files = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      tasks.forEach(task -> files.add(task.file().location()));
    }
    return files;
  }

  private static Namespace freshNamespace() {
    Namespace namespace = Namespace.of("conc_" + UUID.randomUUID().toString().replace("-", ""));
    try (RESTCatalog admin = CatalogTestServer.shared().newClient(Map.of())) {
      admin.createNamespace(namespace);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return namespace;
  }
}
