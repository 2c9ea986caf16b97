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

  /** Sends operations on one thread until the window's counter says to stop. */
  private interface Driver {
    void drive(Counter counter, Recorder recorder);
  }

  /** The limits of one loop. */
  record Window(Duration warmup, Duration measure, long maxOps) {}

  /** Status -1 marks an operation that failed without an answer (I/O error, timeout). */
  static final int NO_ANSWER = -1;

  /** The part of a warm-up that is probed for steal, and how long before the window it ends. */
  private static final Duration STEAL_PROBE = Duration.ofSeconds(1);

  private static final Duration PROBE_LEAD = Duration.ofMillis(500);

  /** Shorter warm-ups start their window on time: a probe would take up most of them. */
  private static final Duration SHORTEST_PROBED_WARMUP =
      STEAL_PROBE.plus(PROBE_LEAD).plus(PROBE_LEAD);

  private final Machine machine;
  private final Profiler profiler;
  private final Duration stealWait;
  private final double maxStealPercent;

  /**
   * @param stealWait how much longer a warm-up may run while the hypervisor takes more than {@code
   *     maxStealPercent} of the CPU
   */
  ClosedLoop(Machine machine, Profiler profiler, Duration stealWait, double maxStealPercent) {
    this.machine = machine;
    this.profiler = profiler;
    this.stealWait = stealWait;
    this.maxStealPercent = maxStealPercent;
  }

  /**
   * Runs a loop of {@code concurrency} workers on a thread each, for operations that are more than
   * one request or need the answers' bodies.
   */
  Measurement run(String name, int concurrency, Window window, Workers workers) throws Exception {
    List<AutoCloseable> resources = new ArrayList<>();
    try {
      List<Driver> drivers = new ArrayList<>(concurrency);
      for (int i = 0; i < concurrency; i++) {
        Operation operation = workers.create(i, resources);
        drivers.add((counter, recorder) -> loop(operation, counter, recorder));
      }
      return measure(name, concurrency, window, drivers);
    } finally {
      for (AutoCloseable resource : resources) {
        resource.close();
      }
    }
  }

  /**
   * Runs a loop of {@code concurrency} workers whose operations are each one request, all on one
   * event-loop thread: blocking threads, one per connection, would take more of the CPU the server
   * shares with the generator, and wake-ups of their own.
   */
  Measurement run(
      String name, int concurrency, Window window, HttpTarget target, RequestLoop.Requests requests)
      throws Exception {
    try (RequestLoop loop = RequestLoop.open(target, concurrency, requests)) {
      return measure(name, concurrency, window, List.of(loop::drive));
    }
  }

  private Measurement measure(String name, int concurrency, Window window, List<Driver> drivers)
      throws InterruptedException {
    long start = System.nanoTime();
    Counter counter = new Counter(window, start);
    CountDownLatch done = new CountDownLatch(drivers.size());
    List<Recorder> recorders = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (Driver driver : drivers) {
      Recorder recorder = new Recorder();
      recorders.add(recorder);
      threads.add(
          Thread.ofPlatform()
              .name("bench-" + name + "-" + threads.size())
              .start(
                  () -> {
                    try {
                      driver.drive(counter, recorder);
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
    long stealWaited = awaitLowSteal(counter, window);
    sleepUntil(counter.measureFrom);
    Machine.Cpu before = machine.cpu();
    done.await(Math.max(0, counter.measureUntil - System.nanoTime()), TimeUnit.NANOSECONDS);
    Machine.Usage used = machine.cpu().minus(before);
    if (measured) {
      profiler.stop(name);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    long end = counter.stoppedByCount() ? counter.lastCounted.get() : counter.measureUntil;
    double seconds = Math.max(1e-9, (end - counter.measureFrom) / 1e9);
    Measurement measurement = Measurement.of(name, concurrency, seconds, recorders, used);
    if (stealWaited > 0) {
      measurement.extra().put("stealWaitSeconds", stealWaited);
    }
    return measurement;
  }

  /**
   * Probes the steal over a second that ends just before the window would start, and while it is
   * too high puts the window off by that second, within {@code stealWait}; returns the seconds
   * added to the warm-up. Warm-ups too short to probe start on time.
   */
  private long awaitLowSteal(Counter counter, Window window) throws InterruptedException {
    if (window.measure().isZero() || window.warmup().compareTo(SHORTEST_PROBED_WARMUP) < 0) {
      return 0;
    }
    long waited = 0;
    sleepUntil(counter.measureFrom - STEAL_PROBE.plus(PROBE_LEAD).toNanos());
    while (true) {
      Machine.Cpu before = machine.cpu();
      sleepUntil(counter.measureFrom - PROBE_LEAD.toNanos());
      double steal =
          Measurement.percentOfMachine(
              machine.cpu().minus(before).stealMillis(), STEAL_PROBE.toMillis() / 1000.0);
      // A probe that overslept into the window leaves it where it is: it may have counted already.
      if (steal <= maxStealPercent
          || waited >= stealWait.toSeconds()
          || System.nanoTime() >= counter.measureFrom) {
        return waited;
      }
      counter.postpone(STEAL_PROBE.toNanos());
      waited += STEAL_PROBE.toSeconds();
    }
  }

  private static void loop(Operation operation, Counter counter, Recorder recorder) {
    while (true) {
      long begin = System.nanoTime();
      if (!counter.mayStart(begin)) {
        return;
      }
      int status;
      try {
        status = operation.call();
      } catch (Exception e) {
        status = NO_ANSWER;
        recorder.failed(e);
      }
      counter.count(recorder, begin, System.nanoTime(), status);
    }
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long remaining = nanoTime - System.nanoTime();
    if (remaining > 0) {
      TimeUnit.NANOSECONDS.sleep(remaining);
    }
  }

  /**
   * The window's clock and count, shared by the drivers of one loop: operations that start during
   * the warm-up are not counted, and none starts once the window has ended or is full.
   */
  static final class Counter {
    // Moved only by postpone, before the window starts; drivers read them on every operation.
    private volatile long measureFrom;
    private volatile long measureUntil;
    private final long maxOps;
    private final AtomicLong counted = new AtomicLong();
    private final AtomicLong lastCounted;

    private Counter(Window window, long start) {
      this.measureFrom = start + window.warmup().toNanos();
      this.measureUntil = measureFrom + window.measure().toNanos();
      this.maxOps = window.maxOps();
      this.lastCounted = new AtomicLong(measureFrom);
    }

    /** Puts the window off, warm-up extended, before any operation was counted in it. */
    private void postpone(long nanos) {
      measureFrom += nanos;
      measureUntil += nanos;
      lastCounted.set(measureFrom);
    }

    boolean mayStart(long now) {
      return now < measureUntil && counted.get() < maxOps;
    }

    /** Records an operation that began at {@code begin} if it falls in the window. */
    void count(Recorder recorder, long begin, long finish, int status) {
      if (begin >= measureFrom && counted.incrementAndGet() <= maxOps) {
        lastCounted.accumulateAndGet(finish, Math::max);
        recorder.record(status, finish - begin);
      }
    }

    private boolean stoppedByCount() {
      return counted.get() >= maxOps;
    }
  }

  /** One driver's counted operations: latencies of the successful, status counts of the rest. */
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

    void failed(Exception e) {
      lastFailure = e.toString();
    }
  }
}
