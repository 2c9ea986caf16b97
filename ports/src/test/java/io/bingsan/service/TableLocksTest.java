package io.bingsan.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.apache.iceberg.exceptions.ServiceUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class TableLocksTest {

  /** Threads lock random sets of keys in random orders: never two on one key, never stuck. */
  @Test
  @Timeout(60)
  void crossingOrdersNeitherOverlapNorDeadlock() throws Exception {
    TableLocks locks = new TableLocks(8, Duration.ofHours(1));
    int keys = 6;
    AtomicIntegerArray holders = new AtomicIntegerArray(keys);
    AtomicInteger overlaps = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int round = 0; round < 2_000; round++) {
                      List<Integer> order = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5));
                      Collections.shuffle(order, ThreadLocalRandom.current());
                      List<Integer> chosen = order.subList(0, 3);
                      locks.withLocks(
                          chosen,
                          () -> {
                            chosen.forEach(
                                key -> {
                                  if (holders.incrementAndGet(key) != 1) {
                                    overlaps.incrementAndGet();
                                  }
                                });
                            chosen.forEach(holders::decrementAndGet);
                            return null;
                          });
                    }
                  }));
    }
    for (Thread thread : threads) {
      thread.join();
    }

    assertThat(overlaps).hasValue(0);
  }

  @Test
  void aTurnNotHadInTimeIsSkipped() throws Exception {
    TableLocks locks = new TableLocks(16, Duration.ofMillis(50));
    try (LockHolder holder = LockHolder.holding(locks, "t")) {
      long start = System.nanoTime();
      String result = locks.withLocks(List.of("t"), () -> "ran");

      assertThat(result).isEqualTo("ran");
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(50));
    }
  }

  @Test
  void interruptedWhileWaitingIsUnavailableAndKeepsTheInterrupt() throws Exception {
    TableLocks locks = new TableLocks(16, Duration.ofHours(1));
    AtomicBoolean ran = new AtomicBoolean();
    try (LockHolder holder = LockHolder.holding(locks, "t")) {
      Thread.currentThread().interrupt();
      assertThatThrownBy(() -> locks.withLocks(List.of("t"), () -> ran.getAndSet(true)))
          .isInstanceOf(ServiceUnavailableException.class);

      assertThat(Thread.interrupted()).isTrue();
      assertThat(ran).isFalse();
    }
  }

  /** Another thread holding a table's lock until closed. */
  private record LockHolder(Thread thread, CountDownLatch release) implements AutoCloseable {
    static LockHolder holding(TableLocks locks, String table) throws InterruptedException {
      CountDownLatch holding = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Thread thread =
          Thread.ofPlatform()
              .start(
                  () ->
                      locks.withLocks(
                          List.of(table),
                          () -> {
                            holding.countDown();
                            try {
                              return release.await(1, TimeUnit.MINUTES);
                            } catch (InterruptedException e) {
                              throw new AssertionError(e);
                            }
                          }));
      holding.await();
      return new LockHolder(thread, release);
    }

    @Override
    public void close() throws InterruptedException {
      release.countDown();
      thread.join();
    }
  }
}
