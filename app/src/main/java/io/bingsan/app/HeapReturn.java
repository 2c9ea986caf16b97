package io.bingsan.app;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import javax.management.JMException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives back to the operating system the memory a burst of requests grew. Left alone, the JVM keeps
 * what it once committed (a node that served a burst held over 1 GiB with 100 MiB live), and a
 * plain {@code java -jar} carries no heap flags.
 *
 * <p>Once the node has gone a whole interval without a collection, after at least one since the
 * last return, it runs one full collection, which compacts the heap and, with the free-heap ratios
 * set here, shrinks it to its live data plus at most a fifth; then glibc hands back the native
 * memory freed meanwhile. G1's own periodic collection is concurrent: it cannot move old regions,
 * so it shrinks the heap over many cycles (453 MiB RSS 40 s after a benchmark, where this reaches
 * about 310). Flags given on the command line are left as the operator set them.
 */
final class HeapReturn {
  private static final Logger LOG = LoggerFactory.getLogger(HeapReturn.class);

  /** Where a flag comes from when an operator gave it: the command line, its file or variable. */
  private static final Set<VMOption.Origin> OPERATOR_SET =
      EnumSet.of(
          VMOption.Origin.VM_CREATION, VMOption.Origin.ENVIRON_VAR, VMOption.Origin.CONFIG_FILE);

  private final LongSupplier collections;
  private final Runnable returnMemory;
  private long collectionsAtLastTick;
  private long collectionsAfterLastReturn;

  /**
   * @param collections how many collections the JVM has run so far
   * @param returnMemory collects the heap and returns what it freed
   */
  HeapReturn(LongSupplier collections, Runnable returnMemory) {
    this.collections = collections;
    this.returnMemory = returnMemory;
    this.collectionsAtLastTick = collections.getAsLong();
    this.collectionsAfterLastReturn = collectionsAtLastTick;
  }

  /**
   * Sets the free-heap ratios and checks every {@code idleInterval}, on a scheduler it takes from
   * {@code schedulers}, whether the node idled through it; a zero interval changes nothing.
   */
  static void start(Duration idleInterval, Supplier<ScheduledExecutorService> schedulers) {
    if (idleInterval.isZero()) {
      return;
    }
    setUnlessOperatorSet(ratios());
    HeapReturn heapReturn =
        new HeapReturn(HeapReturn::collectionsSoFar, HeapReturn::collectAndTrim);
    long millis = idleInterval.toMillis();
    schedulers
        .get()
        .scheduleWithFixedDelay(heapReturn::tick, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** The free-heap ratios in an order the JVM accepts: the minimum may not exceed the maximum. */
  static Map<String, String> ratios() {
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put("MinHeapFreeRatio", "10");
    flags.put("MaxHeapFreeRatio", "20");
    return flags;
  }

  /** Returns memory if no collection ran since the last tick and one ran since the last return. */
  void tick() {
    long now = collections.getAsLong();
    boolean idle = now == collectionsAtLastTick;
    collectionsAtLastTick = now;
    if (!idle || now == collectionsAfterLastReturn) {
      return;
    }
    try {
      returnMemory.run();
    } catch (RuntimeException e) {
      // A failed return must not end the schedule: the next idle interval tries again.
      LOG.warn("Could not return idle memory", e);
    }
    collectionsAtLastTick = collections.getAsLong();
    collectionsAfterLastReturn = collectionsAtLastTick;
  }

  private static void setUnlessOperatorSet(Map<String, String> flags) {
    HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    flags.forEach(
        (name, value) -> {
          if (isOperatorSet(vm.getVMOption(name))) {
            return;
          }
          try {
            vm.setVMOption(name, value);
          } catch (IllegalArgumentException conflicting) {
            // Another flag given on the command line rules this value out; it stands.
            LOG.warn("Left {} as it is: {}", name, conflicting.getMessage());
          }
        });
  }

  /** Whether an operator gave the flag, which this class then leaves as it is. */
  static boolean isOperatorSet(VMOption option) {
    return OPERATOR_SET.contains(option.getOrigin());
  }

  static long collectionsSoFar() {
    long total = 0;
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, collector.getCollectionCount());
    }
    return total;
  }

  private static void collectAndTrim() {
    // Stop-the-world on purpose: only a full collection compacts the old regions it would free.
    System.gc();
    LOG.debug("Returned idle memory; {}", trimNativeHeap());
  }

  /**
   * Has glibc return the memory freed on its heaps (the JVM's {@code System.trim_native_heap}).
   *
   * @return the JVM's report, e.g. "Trim native heap: RSS+Swap: 359M->313M (-46604K)"
   */
  static String trimNativeHeap() {
    try {
      return (String)
          ManagementFactory.getPlatformMBeanServer()
              .invoke(
                  new ObjectName("com.sun.management:type=DiagnosticCommand"),
                  "systemTrimNativeHeap",
                  new Object[0],
                  new String[0]);
    } catch (JMException notOnThisJvm) {
      return "Trim native heap: not available (" + notOnThisJvm.getMessage() + ")";
    }
  }
}
