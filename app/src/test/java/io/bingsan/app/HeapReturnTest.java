package io.bingsan.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The idle rule on a counted clock of collections, then the real thing in the test JVM itself: G1
 * there, with neither ratio on its command line. An application started earlier in the same JVM
 * may have set them already, so each test starts from HotSpot's defaults.
 */
class HeapReturnTest {
  private static final Duration IDLE = Duration.ofSeconds(1);
  private static final String HOTSPOT_MIN_HEAP_FREE_RATIO = "40";
  private static final String HOTSPOT_MAX_HEAP_FREE_RATIO = "70";

  private static final HotSpotDiagnosticMXBean VM =
      ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
  /** The values the JVM had before this class, put back after each test. */
  private static final Map<String, String> BEFORE = new HashMap<>();

  private final AtomicLong collections = new AtomicLong();
  private final AtomicInteger returns = new AtomicInteger();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

  @BeforeAll
  static void withNeitherRatioGivenByAnOperator() {
    for (String flag : HeapReturn.ratios().keySet()) {
      VMOption option = VM.getVMOption(flag);
      assumeFalse(
          HeapReturn.isOperatorSet(option),
          flag + " was set on the test JVM's command line, which HeapReturn leaves alone");
      BEFORE.put(flag, option.getValue());
    }
  }

  @BeforeEach
  void fromHotSpotsDefaultRatios() {
    setRatios(HOTSPOT_MIN_HEAP_FREE_RATIO, HOTSPOT_MAX_HEAP_FREE_RATIO);
  }

  @AfterEach
  void restoreTheRatiosFromBefore() {
    scheduler.shutdownNow();
    setRatios(BEFORE.get("MinHeapFreeRatio"), BEFORE.get("MaxHeapFreeRatio"));
  }

  /** Through a maximum of 100, so that the minimum never exceeds the maximum on the way. */
  private static void setRatios(String min, String max) {
    VM.setVMOption("MaxHeapFreeRatio", "100");
    VM.setVMOption("MinHeapFreeRatio", min);
    VM.setVMOption("MaxHeapFreeRatio", max);
  }

  /** A return that runs a collection, as {@code System.gc()} does. */
  private HeapReturn countedHeapReturn() {
    return new HeapReturn(
        collections::get,
        () -> {
          returns.incrementAndGet();
          collections.incrementAndGet();
        });
  }

  @Test
  void aNodeThatNeverCollectedHasNothingToReturn() {
    HeapReturn heapReturn = countedHeapReturn();

    heapReturn.tick();
    heapReturn.tick();

    assertThat(returns).hasValue(0);
  }

  @Test
  void noReturnWhileCollectionsKeepRunning() {
    HeapReturn heapReturn = countedHeapReturn();

    for (int i = 0; i < 5; i++) {
      collections.incrementAndGet();
      heapReturn.tick();
    }

    assertThat(returns).hasValue(0);
  }

  @Test
  void oneReturnOnceAWholeIntervalPassesWithoutACollection() {
    HeapReturn heapReturn = countedHeapReturn();
    collections.addAndGet(3);
    heapReturn.tick();
    assertThat(returns).hasValue(0);

    heapReturn.tick();
    assertThat(returns).hasValue(1);

    // Its own collection is no new activity: nothing more until the node works again.
    heapReturn.tick();
    heapReturn.tick();
    assertThat(returns).hasValue(1);

    collections.incrementAndGet();
    heapReturn.tick();
    heapReturn.tick();
    assertThat(returns).hasValue(2);
  }

  @Test
  void aFailedReturnLeavesTheScheduleRunning() {
    HeapReturn failing =
        new HeapReturn(
            collections::get,
            () -> {
              throw new IllegalStateException("no memory to return");
            });
    collections.incrementAndGet();
    failing.tick();

    assertThatCode(failing::tick).doesNotThrowAnyException();
  }

  @Test
  void theRatiosTakeTheirValuesInAnOrderTheJvmAccepts() {
    HeapReturn.start(IDLE, () -> scheduler);

    assertThat(VM.getVMOption("MinHeapFreeRatio").getValue()).isEqualTo("10");
    assertThat(VM.getVMOption("MaxHeapFreeRatio").getValue()).isEqualTo("20");
  }

  @Test
  void aZeroIntervalChangesNothing() {
    HeapReturn.start(Duration.ZERO, () -> fail("a zero interval needs no scheduler"));

    assertThat(VM.getVMOption("MinHeapFreeRatio").getValue())
        .isEqualTo(HOTSPOT_MIN_HEAP_FREE_RATIO);
    assertThat(VM.getVMOption("MaxHeapFreeRatio").getValue())
        .isEqualTo(HOTSPOT_MAX_HEAP_FREE_RATIO);
  }

  @Test
  void glibcReturnsItsFreedMemoryOnRequest() {
    assumeTrue(System.getProperty("os.name").startsWith("Linux"), "glibc's trim is Linux's");

    assertThat(HeapReturn.trimNativeHeap()).startsWith("Trim native heap: RSS+Swap:");
  }

  @Test
  void heapGrownByABurstIsReturnedOnceIdle() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    HeapReturn.start(IDLE, () -> scheduler);
    long grown = burst();

    long committed = grown;
    for (long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        System.nanoTime() < deadline && committed > grown / 2; ) {
      Thread.sleep(250);
      committed = memory.getHeapMemoryUsage().getCommitted();
    }

    assertThat(committed).isLessThan(grown / 2);
  }

  /** Holds about 600 MiB at once, lets it go, and returns the heap committed meanwhile. */
  private static long burst() {
    List<byte[]> held = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      held.add(new byte[4 << 20]);
    }
    long committed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
    assertThat(held).hasSize(150);
    return committed;
  }
}
