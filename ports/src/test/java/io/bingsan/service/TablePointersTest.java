package io.bingsan.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TablePointersTest {
  private static final List<String> TABLE =
      TablePointers.key("wh", TableIdentifier.of(Namespace.of("Ns"), "T"));

  private final TablePointers pointers = new TablePointers();
  // Requests of their own threads: the common pool may have only one on a small machine.
  private final ExecutorService requests = Executors.newFixedThreadPool(4);

  @AfterEach
  void stopRequests() {
    requests.shutdownNow();
  }

  /** A store read that counts its calls and answers the pointer it is set to. */
  private static final class Store implements Supplier<Optional<String>> {
    final AtomicInteger reads = new AtomicInteger();
    volatile String pointer;

    Store(String pointer) {
      this.pointer = pointer;
    }

    @Override
    public Optional<String> get() {
      reads.incrementAndGet();
      return Optional.ofNullable(pointer);
    }
  }

  @Test
  void keyTellsTablesApartAsTheStoreDoes() {
    assertThat(TablePointers.key("wh", TableIdentifier.of(Namespace.of("ns"), "t")))
        .isEqualTo(TABLE)
        .containsExactly("wh", "ns", "t");
    assertThat(TablePointers.key("other", TableIdentifier.of(Namespace.of("ns"), "t")))
        .isNotEqualTo(TABLE);
  }

  @Test
  void readBegunAfterARequestServesItAndNoLaterOne() {
    Store store = new Store("v1");
    long before = System.nanoTime();
    assertThat(pointers.current(TABLE, before, store)).contains("v1");
    store.pointer = "v2";

    // Began before that read: its answer was current during this request too.
    assertThat(pointers.current(TABLE, before, store)).contains("v1");
    assertThat(store.reads).hasValue(1);

    // Began after it: only a new read will do.
    assertThat(pointers.current(TABLE, System.nanoTime(), store)).contains("v2");
    assertThat(store.reads).hasValue(2);
  }

  @Test
  void thisNodesSwapServesRequestsBegunBeforeIt() {
    Store store = new Store("v1");
    long requestBegan = System.nanoTime();
    pointers.moved(TABLE, System.nanoTime(), "v2");

    assertThat(pointers.current(TABLE, requestBegan, store)).contains("v2");
    assertThat(store.reads).hasValue(0);
    assertThat(pointers.current(TABLE, System.nanoTime(), store)).contains("v1");
    assertThat(store.reads).hasValue(1);
  }

  @Test
  void aSwapDoesNotReplaceAReadBegunAfterIt() {
    long swapStarted = System.nanoTime();
    Store store = new Store("v3");
    long requestBegan = System.nanoTime();
    pointers.current(TABLE, requestBegan, store);

    pointers.moved(TABLE, swapStarted, "v2");

    assertThat(pointers.lastKnown(TABLE)).isEqualTo("v3");
    assertThat(pointers.current(TABLE, requestBegan, store)).contains("v3");
    assertThat(store.reads).hasValue(1);
  }

  @Test
  void noTableIsAnAnswerToo() {
    Store store = new Store(null);
    long before = System.nanoTime();
    assertThat(pointers.current(TABLE, before, store)).isEmpty();
    assertThat(pointers.current(TABLE, before, store)).isEmpty();
    assertThat(store.reads).hasValue(1);
    assertThat(pointers.lastKnown(TABLE)).isNull();
  }

  @Test
  void lastKnownIsTheLatestReadOrSwapUntilForgotten() {
    assertThat(pointers.lastKnown(TABLE)).isNull();
    pointers.current(TABLE, System.nanoTime(), new Store("v1"));
    assertThat(pointers.lastKnown(TABLE)).isEqualTo("v1");
    pointers.moved(TABLE, System.nanoTime(), "v2");
    assertThat(pointers.lastKnown(TABLE)).isEqualTo("v2");

    pointers.forget(List.of(TABLE));

    assertThat(pointers.lastKnown(TABLE)).isNull();
  }

  /**
   * A request that began before an unfinished read joins it; one that began after waits for it
   * and then shares a single new read with every other such request.
   */
  @Test
  void requestsShareReadsThatBeganAfterThem() throws Exception {
    CountDownLatch firstReading = new CountDownLatch(1);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    AtomicInteger reads = new AtomicInteger();
    Supplier<Optional<String>> blockingFirstRead =
        () -> {
          int read = reads.incrementAndGet();
          if (read == 1) {
            firstReading.countDown();
            await(releaseFirst);
          }
          return Optional.of("v" + read);
        };
    long beforeFirst = System.nanoTime();
    CompletableFuture<Optional<String>> first = request(beforeFirst, blockingFirstRead);
    await(firstReading);
    CompletableFuture<Optional<String>> joined = request(beforeFirst, blockingFirstRead);
    long afterFirst = System.nanoTime();
    List<CompletableFuture<Optional<String>>> later =
        List.of(request(afterFirst, blockingFirstRead), request(afterFirst, blockingFirstRead));
    Thread.sleep(50);
    assertThat(reads).hasValue(1);

    releaseFirst.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS)).contains("v1");
    assertThat(joined.get(10, TimeUnit.SECONDS)).contains("v1");
    for (CompletableFuture<Optional<String>> request : later) {
      assertThat(request.get(10, TimeUnit.SECONDS)).contains("v2");
    }
    assertThat(reads).hasValue(2);
  }

  @Test
  void failedReadFailsTheRequestsSharingItAndIsNotKept() throws Exception {
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch fail = new CountDownLatch(1);
    Supplier<Optional<String>> failing =
        () -> {
          reading.countDown();
          await(fail);
          throw new IllegalStateException("database gone");
        };
    long before = System.nanoTime();
    CompletableFuture<Optional<String>> first = request(before, failing);
    await(reading);
    CompletableFuture<Optional<String>> joined = request(before, failing);
    Thread.sleep(50);

    fail.countDown();

    for (CompletableFuture<Optional<String>> request : List.of(first, joined)) {
      assertThatThrownBy(() -> request.get(10, TimeUnit.SECONDS))
          .hasRootCauseInstanceOf(IllegalStateException.class)
          .hasRootCauseMessage("database gone");
    }
    Store store = new Store("v1");
    assertThat(pointers.current(TABLE, before, store)).contains("v1");
    assertThat(store.reads).hasValue(1);
  }

  /** {@code current} asked on a request thread of its own. */
  private CompletableFuture<Optional<String>> request(
      long sinceNanos, Supplier<Optional<String>> reader) {
    return CompletableFuture.supplyAsync(
        () -> pointers.current(TABLE, sinceNanos, reader), requests);
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
