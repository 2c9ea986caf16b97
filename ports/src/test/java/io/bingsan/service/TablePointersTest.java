package io.bingsan.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bingsan.ports.out.TableChangeNotices;
import io.bingsan.service.fakes.InMemoryNoticeBoard;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TablePointersTest {
  private static final TableIdentifier TABLE = TableIdentifier.of(Namespace.of("Ns"), "T");
  private static final List<String> TABLE_KEY = TablePointers.key("wh", TABLE);

  private final Store store = new Store();
  private final TablePointers pointers = new TablePointers(store, 2, TableChangeNotices.NONE);
  // Requests of their own threads: the common pool may have only one on a small machine.
  private final ExecutorService requests = Executors.newFixedThreadPool(6);

  @AfterEach
  void stopRequests() {
    requests.shutdownNow();
  }

  /** The store's pointers; records each read's tables, then runs a hook before answering. */
  private static final class Store implements TablePointers.Reader {
    final Map<String, String> pointers = new ConcurrentHashMap<>();
    final List<List<String>> reads = new ArrayList<>();
    volatile Consumer<Integer> beforeAnswer = read -> {};

    void set(String warehouse, TableIdentifier table, String pointer) {
      pointers.put(warehouse + "/" + table, pointer);
    }

    synchronized int reads() {
      return reads.size();
    }

    @Override
    public List<Optional<String>> read(String warehouse, List<TableIdentifier> identifiers) {
      int read;
      synchronized (this) {
        reads.add(identifiers.stream().map(table -> warehouse + "/" + table).toList());
        read = reads.size();
      }
      List<Optional<String>> answer =
          identifiers.stream()
              .map(table -> Optional.ofNullable(pointers.get(warehouse + "/" + table)))
              .toList();
      beforeAnswer.accept(read);
      return answer;
    }
  }

  @Test
  void keyTellsTablesApartAsTheStoreDoes() {
    assertThat(TablePointers.key("wh", TableIdentifier.of(Namespace.of("ns"), "t")))
        .isEqualTo(TABLE_KEY)
        .containsExactly("wh", "ns", "t");
    assertThat(TablePointers.key("other", TableIdentifier.of(Namespace.of("ns"), "t")))
        .isNotEqualTo(TABLE_KEY);
  }

  @Test
  void readBegunAfterARequestServesItAndNoLaterOne() {
    store.set("wh", TABLE, "v1");
    long before = System.nanoTime();
    assertThat(pointers.current("wh", TABLE, before)).contains("v1");
    store.set("wh", TABLE, "v2");

    // Began before that read: its answer was current during this request too.
    assertThat(pointers.current("wh", TABLE, before)).contains("v1");
    assertThat(store.reads()).isEqualTo(1);

    // Began after it: only a new read will do.
    assertThat(pointers.current("wh", TABLE, System.nanoTime())).contains("v2");
    assertThat(store.reads()).isEqualTo(2);
  }

  @Test
  void thisNodesSwapServesRequestsBegunBeforeIt() {
    store.set("wh", TABLE, "v1");
    long requestBegan = System.nanoTime();
    pointers.moved(TABLE_KEY, pointers.since(TABLE_KEY), "v2");

    assertThat(pointers.current("wh", TABLE, requestBegan)).contains("v2");
    assertThat(store.reads()).isZero();
    assertThat(pointers.current("wh", TABLE, System.nanoTime())).contains("v1");
    assertThat(store.reads()).isEqualTo(1);
  }

  @Test
  void aSwapDoesNotReplaceAReadBegunAfterIt() {
    TablePointers.Since swapStarted = pointers.since(TABLE_KEY);
    store.set("wh", TABLE, "v3");
    long requestBegan = System.nanoTime();
    pointers.current("wh", TABLE, requestBegan);

    pointers.moved(TABLE_KEY, swapStarted, "v2");

    assertThat(pointers.lastKnown(TABLE_KEY)).isEqualTo("v3");
    assertThat(pointers.current("wh", TABLE, requestBegan)).contains("v3");
    assertThat(store.reads()).isEqualTo(1);
  }

  @Test
  void noTableIsAnAnswerToo() {
    long before = System.nanoTime();
    assertThat(pointers.current("wh", TABLE, before)).isEmpty();
    assertThat(pointers.current("wh", TABLE, before)).isEmpty();
    assertThat(store.reads()).isEqualTo(1);
    assertThat(pointers.lastKnown(TABLE_KEY)).isNull();
  }

  @Test
  void lastKnownIsTheLatestReadOrSwapUntilForgotten() {
    store.set("wh", TABLE, "v1");
    assertThat(pointers.lastKnown(TABLE_KEY)).isNull();
    pointers.current("wh", TABLE, System.nanoTime());
    assertThat(pointers.lastKnown(TABLE_KEY)).isEqualTo("v1");
    pointers.moved(TABLE_KEY, pointers.since(TABLE_KEY), "v2");
    assertThat(pointers.lastKnown(TABLE_KEY)).isEqualTo("v2");

    pointers.forget(List.of(TABLE_KEY));

    assertThat(pointers.lastKnown(TABLE_KEY)).isNull();
  }

  /**
   * A request that began before an unfinished read of its table joins it; those that began after
   * wait for it, though a reader is free, and then share a single new read.
   */
  @Test
  void requestsWaitingOnAReadOfTheirTableShareTheNextOne() throws Exception {
    store.set("wh", TABLE, "v1");
    CountDownLatch releaseFirst = blockFirstRead();
    long beforeFirst = System.nanoTime();
    CompletableFuture<Optional<String>> first = request("wh", TABLE, beforeFirst);
    awaitReads(1);
    CompletableFuture<Optional<String>> joined = request("wh", TABLE, beforeFirst);
    store.set("wh", TABLE, "v2");
    long afterFirst = System.nanoTime();
    List<CompletableFuture<Optional<String>>> later =
        List.of(request("wh", TABLE, afterFirst), request("wh", TABLE, afterFirst));
    Thread.sleep(100);
    assertThat(store.reads()).isEqualTo(1);

    releaseFirst.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS)).contains("v1");
    assertThat(joined.get(10, TimeUnit.SECONDS)).contains("v1");
    for (CompletableFuture<Optional<String>> request : later) {
      assertThat(request.get(10, TimeUnit.SECONDS)).contains("v2");
    }
    assertThat(store.reads()).isEqualTo(2);
  }

  @Test
  void otherTablesAreReadWhileAReaderIsFree() throws Exception {
    TableIdentifier other = TableIdentifier.of(Namespace.of("Ns"), "Other");
    store.set("wh", TABLE, "t1");
    store.set("wh", other, "o1");
    CountDownLatch releaseFirst = blockFirstRead();
    CompletableFuture<Optional<String>> first = request("wh", TABLE, System.nanoTime());
    awaitReads(1);

    assertThat(request("wh", other, System.nanoTime()).get(10, TimeUnit.SECONDS)).contains("o1");

    assertThat(first).isNotDone();
    releaseFirst.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS)).contains("t1");
  }

  /** With every reader busy, requests for any tables and warehouses gather into one batch. */
  @Test
  void requestsWaitingForAReaderShareOneBatch() throws Exception {
    TablePointers oneReader = new TablePointers(store, 1, TableChangeNotices.NONE);
    TableIdentifier other = TableIdentifier.of(Namespace.of("Ns"), "Other");
    store.set("wh", TABLE, "t1");
    store.set("wh", other, "o1");
    store.set("wh2", TABLE, "w1");
    CountDownLatch releaseFirst = blockFirstRead();
    CompletableFuture<Optional<String>> first =
        request(oneReader, "wh", TableIdentifier.of(Namespace.of("Ns"), "First"));
    awaitReads(1);
    List<CompletableFuture<Optional<String>>> waiting =
        List.of(
            request(oneReader, "wh", TABLE),
            request(oneReader, "wh", TABLE),
            request(oneReader, "wh", other),
            request(oneReader, "wh2", TABLE));
    Thread.sleep(100);
    assertThat(store.reads()).isEqualTo(1);

    releaseFirst.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS)).isEmpty();
    assertThat(waiting.get(0).get(10, TimeUnit.SECONDS)).contains("t1");
    assertThat(waiting.get(1).get(10, TimeUnit.SECONDS)).contains("t1");
    assertThat(waiting.get(2).get(10, TimeUnit.SECONDS)).contains("o1");
    assertThat(waiting.get(3).get(10, TimeUnit.SECONDS)).contains("w1");
    // One read of the batch per warehouse, each table asked once.
    assertThat(
            store.reads.subList(1, store.reads()).stream()
                .map(read -> read.stream().sorted().toList()))
        .containsExactlyInAnyOrder(List.of("wh2/Ns.T"), List.of("wh/Ns.Other", "wh/Ns.T"));
  }

  @Test
  void failedReadFailsTheRequestsSharingItAndIsNotKept() throws Exception {
    CountDownLatch fail = new CountDownLatch(1);
    store.beforeAnswer =
        read -> {
          await(fail);
          throw new IllegalStateException("database gone");
        };
    long before = System.nanoTime();
    CompletableFuture<Optional<String>> first = request("wh", TABLE, before);
    awaitReads(1);
    CompletableFuture<Optional<String>> joined = request("wh", TABLE, before);
    Thread.sleep(50);

    fail.countDown();

    for (CompletableFuture<Optional<String>> request : List.of(first, joined)) {
      assertThatThrownBy(() -> request.get(10, TimeUnit.SECONDS))
          .hasRootCauseInstanceOf(IllegalStateException.class)
          .hasRootCauseMessage("database gone");
    }
    store.beforeAnswer = read -> {};
    store.set("wh", TABLE, "v1");
    assertThat(pointers.current("wh", TABLE, before)).contains("v1");
    assertThat(store.reads()).isEqualTo(2);
  }

  private final InMemoryNoticeBoard.Node notices = new InMemoryNoticeBoard().join();
  private final TablePointers told = new TablePointers(store, 2, notices);

  @Test
  void whileNoticesHoldAReadServesLaterRequestsUntilItsTableChanges() {
    store.set("wh", TABLE, "v1");
    assertThat(told.current("wh", TABLE, System.nanoTime())).contains("v1");
    // Untold, as a change whose commit is not yet acknowledged.
    store.set("wh", TABLE, "v2");

    assertThat(told.current("wh", TABLE, System.nanoTime())).contains("v1");
    assertThat(store.reads()).isEqualTo(1);

    notices.tell("wh", List.of(TableIdentifier.of(Namespace.of("ns"), "t")));

    assertThat(told.current("wh", TABLE, System.nanoTime())).contains("v2");
    assertThat(told.current("wh", TABLE, System.nanoTime())).contains("v2");
    assertThat(store.reads()).isEqualTo(2);
  }

  @Test
  void noTableIsServedUntilOneIsCreated() {
    assertThat(told.current("wh", TABLE, System.nanoTime())).isEmpty();
    assertThat(told.current("wh", TABLE, System.nanoTime())).isEmpty();
    assertThat(store.reads()).isEqualTo(1);

    store.set("wh", TABLE, "v1");
    notices.tell("wh", List.of(TABLE));

    assertThat(told.current("wh", TABLE, System.nanoTime())).contains("v1");
  }

  @Test
  void changesToOtherTablesOrWarehousesLeaveAReadCurrent() {
    store.set("wh", TABLE, "v1");
    told.current("wh", TABLE, System.nanoTime());

    notices.tell("wh", List.of(TableIdentifier.of(Namespace.of("Ns"), "Other")));
    notices.tell("wh2", List.of(TABLE));

    assertThat(told.current("wh", TABLE, System.nanoTime())).contains("v1");
    assertThat(store.reads()).isEqualTo(1);
  }

  @Test
  void noticesThatDoNotHoldServeOnlyReadsBegunAfterTheRequest() {
    store.set("wh", TABLE, "v1");
    told.current("wh", TABLE, System.nanoTime());
    notices.goQuiet();

    assertThat(told.current("wh", TABLE, System.nanoTime())).contains("v1");
    assertThat(told.current("wh", TABLE, System.nanoTime())).contains("v1");
    assertThat(store.reads()).isEqualTo(3);
  }

  @Test
  void missedChangesRetireEveryRead() {
    TableIdentifier other = TableIdentifier.of(Namespace.of("Ns"), "Other");
    store.set("wh", TABLE, "t1");
    store.set("wh", other, "o1");
    told.current("wh", TABLE, System.nanoTime());
    told.current("wh", other, System.nanoTime());
    store.set("wh", TABLE, "t2");
    store.set("wh", other, "o2");

    notices.comeBack();

    assertThat(told.current("wh", TABLE, System.nanoTime())).contains("t2");
    assertThat(told.current("wh", other, System.nanoTime())).contains("o2");
    assertThat(store.reads()).isEqualTo(4);
  }

  /** The read answered from before the change, but was told of it only afterwards. */
  @Test
  void aReadUnderWayWhenItsTableChangesServesNoLaterRequest() throws Exception {
    store.set("wh", TABLE, "v1");
    CountDownLatch releaseFirst = blockFirstRead();
    CompletableFuture<Optional<String>> first =
        CompletableFuture.supplyAsync(
            () -> told.current("wh", TABLE, System.nanoTime()), requests);
    awaitReads(1);
    store.set("wh", TABLE, "v2");
    notices.tell("wh", List.of(TABLE));

    releaseFirst.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS)).contains("v1");
    assertThat(told.current("wh", TABLE, System.nanoTime())).contains("v2");
    assertThat(store.reads()).isEqualTo(2);
  }

  @Test
  void thisNodesSwapStaysCurrentAndRetiresReadsBegunBeforeItCommitted() {
    store.set("wh", TABLE, "v1");
    TablePointers.Since swapStarted = told.since(TABLE_KEY);
    // Begun during the swap, this read saw the pointer before it moved.
    assertThat(told.current("wh", TABLE, System.nanoTime())).contains("v1");
    store.set("wh", TABLE, "v2");
    told.moved(TABLE_KEY, swapStarted, "v2");

    assertThat(told.current("wh", TABLE, System.nanoTime())).contains("v2");
    assertThat(store.reads()).isEqualTo(2);

    TablePointers.Since nextSwap = told.since(TABLE_KEY);
    store.set("wh", TABLE, "v3");
    told.moved(TABLE_KEY, nextSwap, "v3");

    assertThat(told.current("wh", TABLE, System.nanoTime())).contains("v3");
    assertThat(store.reads()).isEqualTo(2);
  }

  @Test
  void aSwapDuringWhichItsTableChangedElsewhereIsNotServedAsCurrent() {
    TablePointers.Since swapStarted = told.since(TABLE_KEY);
    notices.tell("wh", List.of(TABLE));
    told.moved(TABLE_KEY, swapStarted, "v2");
    store.set("wh", TABLE, "v3");

    assertThat(told.current("wh", TABLE, System.nanoTime())).contains("v3");
    assertThat(store.reads()).isEqualTo(1);
  }

  @Test
  void forgottenTablesAreReadAgain() {
    store.set("wh", TABLE, "v1");
    told.current("wh", TABLE, System.nanoTime());
    store.set("wh", TABLE, "v2");

    told.forget(List.of(TABLE_KEY));

    assertThat(told.current("wh", TABLE, System.nanoTime())).contains("v2");
  }

  /** Holds the store's first read until the returned latch is released. */
  private CountDownLatch blockFirstRead() {
    CountDownLatch release = new CountDownLatch(1);
    store.beforeAnswer =
        read -> {
          if (read == 1) {
            await(release);
          }
        };
    return release;
  }

  private void awaitReads(int reads) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (store.reads() < reads) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("Timed out waiting for " + reads + " reads");
      }
      Thread.sleep(1);
    }
  }

  /** {@code current} asked on a request thread of its own. */
  private CompletableFuture<Optional<String>> request(
      String warehouse, TableIdentifier table, long sinceNanos) {
    return CompletableFuture.supplyAsync(
        () -> pointers.current(warehouse, table, sinceNanos), requests);
  }

  private CompletableFuture<Optional<String>> request(
      TablePointers on, String warehouse, TableIdentifier table) {
    return CompletableFuture.supplyAsync(
        () -> on.current(warehouse, table, System.nanoTime()), requests);
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("Timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
