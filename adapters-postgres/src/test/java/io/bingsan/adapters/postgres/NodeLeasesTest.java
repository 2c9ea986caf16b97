package io.bingsan.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.bingsan.domain.change.CatalogChange.MetadataSwapped;
import io.bingsan.domain.change.CatalogChange.NamespaceCreated;
import io.bingsan.domain.change.CatalogChange.ObjectCreated;
import io.bingsan.domain.change.CatalogChange.ObjectRenamed;
import io.bingsan.domain.change.ObjectKind;
import io.bingsan.ports.out.TableChangeNotices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two nodes on the real database: what one changes, the other hears before it is acknowledged. */
class NodeLeasesTest {
  private static final Duration LEASE = Duration.ofSeconds(1);
  private static final Namespace NAMESPACE = Namespace.of("db");
  private static final TableIdentifier TABLE = TableIdentifier.of(NAMESPACE, "t");

  private final String warehouse = "leases-" + UUID.randomUUID();
  private final Node nodeA = new Node();
  private final Node nodeB = new Node();

  /** A node: its leases, its store, and what its subscriber heard. */
  private static final class Node implements TableChangeNotices.Subscriber {
    final NodeLeases leases =
        new NodeLeases(
            TestDatabase.dataSource()::getConnection, TestDatabase.dataSource(), LEASE);
    final PostgresCatalogStore store =
        new PostgresCatalogStore(TestDatabase.jdbi(), TestDatabase.dataSource(), leases);
    final List<TableIdentifier> heard = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger missed = new AtomicInteger();
    volatile CountDownLatch stall = new CountDownLatch(0);

    Node() {
      leases.subscribe(this);
    }

    @Override
    public void changed(String warehouse, List<TableIdentifier> tables) {
      awaitQuietly(stall);
      heard.addAll(tables);
    }

    @Override
    public void missed() {
      missed.incrementAndGet();
    }
  }

  @BeforeEach
  void startNodes() {
    nodeA.leases.start();
    nodeB.leases.start();
    awaitTrue(() -> nodeA.leases.current() && nodeB.leases.current());
    nodeA.store.apply(warehouse, new NamespaceCreated(NAMESPACE, Map.of()));
    create(TABLE, "s3://b/1");
    awaitTrue(() -> nodeB.heard.contains(TABLE));
  }

  @AfterEach
  void stopNodes() {
    nodeA.stall.countDown();
    nodeB.stall.countDown();
    nodeA.leases.close();
    nodeB.leases.close();
  }

  @Test
  void aTableChangeIsHeardByTheOtherNodeBeforeItIsAcknowledged() {
    nodeB.heard.clear();

    swap(TABLE, "s3://b/1", "s3://b/2");

    assertThat(nodeB.heard).containsExactly(TABLE);
    assertThat(nodeA.heard).doesNotContain(TABLE);
    assertThat(nodeB.leases.current()).isTrue();
  }

  @Test
  void aRenameIsHeardUnderBothNames() {
    nodeB.heard.clear();
    TableIdentifier renamed = TableIdentifier.of(NAMESPACE, "renamed");

    nodeA.store.apply(warehouse, new ObjectRenamed(ObjectKind.TABLE, TABLE, renamed));

    assertThat(nodeB.heard).containsExactly(TABLE, renamed);
  }

  /**
   * A node that cannot hear (here: its subscriber is stuck) is waited for only until its lease
   * ends, and by then it no longer counts itself current: it reads every pointer.
   */
  @Test
  void aNodeThatDoesNotAnswerIsWaitedOutAndIsNoLongerCurrent() {
    nodeB.heard.clear();
    nodeB.stall = new CountDownLatch(1);
    long started = System.nanoTime();

    swap(TABLE, "s3://b/1", "s3://b/2");

    assertThat(nodeB.leases.current()).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(LEASE.dividedBy(4));
    assertThat(nodeB.heard).isEmpty();

    nodeB.stall.countDown();

    awaitTrue(() -> nodeB.leases.current() && nodeB.heard.contains(TABLE));
  }

  @Test
  void aNodeWhoseConnectionIsCutHearsThatItMissedChanges() {
    int missedBefore = nodeB.missed.get();

    terminate(nodeB.leases);
    swap(TABLE, "s3://b/1", "s3://b/2");

    // Acknowledged: B either heard the change or is not current until it has heard it missed some.
    assertThat(!nodeB.leases.current() || nodeB.heard.contains(TABLE)).isTrue();
    awaitTrue(() -> nodeB.missed.get() > missedBefore && nodeB.leases.current());
  }

  @Test
  void aClosedNodeGivesUpItsLeaseAndIsNotWaitedFor() {
    nodeB.leases.close();
    assertThat(nodeB.leases.current()).isFalse();

    long started = System.nanoTime();
    swap(TABLE, "s3://b/1", "s3://b/2");

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(LEASE.dividedBy(2));
  }

  @Test
  void changesToNoTableSendNoNotice() {
    nodeB.heard.clear();

    nodeA.store.apply(warehouse, new NamespaceCreated(Namespace.of("other"), Map.of()));
    swap(TABLE, "s3://b/1", "s3://b/2");

    assertThat(nodeB.heard).containsExactly(TABLE);
  }

  @Test
  void aNoticeNamesItsTablesOrElseThatAllChanged() {
    UUID node = UUID.randomUUID();
    TableIdentifier nested = TableIdentifier.of(Namespace.of("a", "b.c"), "t\"1");

    NodeLeases.Notice notice =
        NodeLeases.Notice.parse(NodeLeases.notice(node, 7, "wh", List.of(TABLE, nested)));

    assertThat(notice).isEqualTo(new NodeLeases.Notice(node, 7, "wh", List.of(TABLE, nested)));

    TableIdentifier huge = TableIdentifier.of(NAMESPACE, "x".repeat(8_000));
    assertThat(NodeLeases.Notice.parse(NodeLeases.notice(node, 8, "wh", List.of(huge))).tables())
        .isNull();
  }

  private void create(TableIdentifier table, String location) {
    nodeA.store.apply(
        warehouse,
        new ObjectCreated(ObjectKind.TABLE, table, UUID.randomUUID().toString(), location, false));
  }

  private void swap(TableIdentifier table, String from, String to) {
    nodeA.store.apply(warehouse, new MetadataSwapped(ObjectKind.TABLE, table, from, to));
  }

  private static void terminate(NodeLeases leases) {
    TestDatabase.jdbi()
        .useHandle(
            handle ->
                handle
                    .createQuery(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                            + " WHERE application_name = :name")
                    .bind("name", leases.applicationName())
                    .mapTo(Boolean.class)
                    .list());
  }

  private static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("Timed out");
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
