package io.bingsan.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed loop: {@code concurrency} workers, each sending its next operation as soon as the last
 * one is answered. Operations that start during the warm-up are not counted; the measured window
 * ends after {@code measure} or after {@code maxOps} counted operations, whichever comes first.
 * Server and database CPU are read at both edges of the window.
 */
final class ClosedLoop {
  /** One worker's operation; returns its HTTP status (2xx and 304 count as success). */
  interface Operation {
    int call() throws Exception;
  }

  /** Makes worker {@code index}'s operation; whatever it opens is closed when the loop ends. */
  interface Workers {
    Operation create(int index, List<AutoCloseable> resources) throws Exception;
  }

  /** The limits of one loop. */
  record Window(Duration warmup, Duration measure, long maxOps) {}

  /** Status -1 marks an operation that failed without an answer (I/O error, timeout). */
  private static final int NO_ANSWER = -1;

  private final Machine machine;
  private final Profiler profiler;

  ClosedLoop(Machine machine, Profiler profiler) {
    this.machine = machine;
    this.profiler = profiler;
  }

  Measurement run(String name, int concurrency, Window window, Workers workers) throws Exception {
    List<AutoCloseable> resources = new ArrayList<>();
    try {
      List<Operation> operations = new ArrayList<>(concurrency);
      for (int i = 0; i < concurrency; i++) {
        operations.add(workers.create(i, resources));
      }
      return measure(name, concurrency, window, operations);
    } finally {
      for (AutoCloseable resource : resources) {
        resource.close();
      }
    }
  }

  private Measurement measure(
      String name, int concurrency, Window window, List<Operation> operations)
      throws InterruptedException {
    long start = System.nanoTime();
    long measureFrom = start + window.warmup().toNanos();
    long measureUntil = measureFrom + window.measure().toNanos();
    AtomicLong counted = new AtomicLong();
    AtomicLong lastCounted = new AtomicLong(measureFrom);
    CountDownLatch done = new CountDownLatch(concurrency);
    List<Recorder> recorders = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (Operation operation : operations) {
      Recorder recorder = new Recorder();
      recorders.add(recorder);
      threads.add(
          Thread.ofPlatform()
              .name("bench-" + name + "-" + threads.size())
              .start(
                  () -> {
                    try {
                      loop(
                          operation,
                          recorder,
                          window.maxOps(),
                          measureFrom,
                          measureUntil,
                          counted,
                          lastCounted);
                    } finally {
                      done.countDown();
                    }
                  }));
    }
    boolean measured = !window.measure().isZero();
    // Starting a recording attaches to the server and takes a moment: do it during the warm-up.
    if (measured) {
      profiler.start(name);
    }
    sleepUntil(measureFrom);
    Machine.Cpu before = machine.cpu();
    done.await(Math.max(0, measureUntil - System.nanoTime()), TimeUnit.NANOSECONDS);
    Machine.Usage used = machine.cpu().minus(before);
    if (measured) {
      profiler.stop(name);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    boolean stoppedByCount = counted.get() >= window.maxOps();
    long end = stoppedByCount ? lastCounted.get() : measureUntil;
    double seconds = Math.max(1e-9, (end - measureFrom) / 1e9);
    return Measurement.of(name, concurrency, seconds, recorders, used);
  }

  private static void loop(
      Operation operation,
      Recorder recorder,
      long maxOps,
      long measureFrom,
      long measureUntil,
      AtomicLong counted,
      AtomicLong lastCounted) {
    while (true) {
      long begin = System.nanoTime();
      if (begin >= measureUntil || counted.get() >= maxOps) {
        return;
      }
      int status;
      try {
        status = operation.call();
      } catch (Exception e) {
        status = NO_ANSWER;
        recorder.lastFailure = e.toString();
      }
      long finish = System.nanoTime();
      if (begin >= measureFrom) {
        if (counted.incrementAndGet() > maxOps) {
          return;
        }
        lastCounted.accumulateAndGet(finish, Math::max);
        recorder.record(status, finish - begin);
      }
    }
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long remaining = nanoTime - System.nanoTime();
    if (remaining > 0) {
      TimeUnit.NANOSECONDS.sleep(remaining);
    }
  }

  /** One worker's counted operations: latencies of the successful, status counts of the rest. */
  static final class Recorder {
    private long[] latencies = new long[1024];
    private int size;
    private final Map<Integer, Long> failures = new TreeMap<>();
    private String lastFailure;

    void record(int status, long nanos) {
      if (status / 100 == 2 || status == 304) {
        if (size == latencies.length) {
          latencies = Arrays.copyOf(latencies, size * 2);
        }
        latencies[size++] = nanos;
      } else {
        failures.merge(status, 1L, Long::sum);
      }
    }

    long[] latencies() {
      return Arrays.copyOf(latencies, size);
    }

    Map<Integer, Long> failures() {
      return failures;
    }

    String lastFailure() {
      return lastFailure;
    }
  }
}
