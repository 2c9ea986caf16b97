package io.bingsan.app;

import static org.assertj.core.api.Assertions.assertThat;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs in the test JVM itself: G1 there, with none of these flags on its command line. */
class HeapReturnTest {
  private static final Duration IDLE = Duration.ofSeconds(1);

  private static final HotSpotDiagnosticMXBean VM =
      ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
  /** The JVM's own values, put back after each test. */
  private static final Map<String, String> DEFAULTS = new HashMap<>();

  @BeforeAll
  static void onG1WithDefaultFlags() {
    assumeTrue(
        "true".equals(VM.getVMOption("UseG1GC").getValue()),
        "the test JVM does not run G1, the only collector HeapReturn tunes");
    for (String flag : HeapReturn.flags(IDLE).keySet()) {
      VMOption option = VM.getVMOption(flag);
      assumeTrue(
          option.getOrigin() == VMOption.Origin.DEFAULT,
          flag + " was set on the test JVM's command line, which HeapReturn leaves alone");
      DEFAULTS.put(flag, option.getValue());
    }
  }

  @AfterEach
  void restoreTheJvmsDefaults() {
    // Widest ratio first, so that each step keeps the minimum below the maximum.
    for (String flag : List.of("G1PeriodicGCInterval", "MaxHeapFreeRatio", "MinHeapFreeRatio")) {
      VM.setVMOption(flag, DEFAULTS.get(flag));
    }
  }

  @Test
  void theFlagsTakeTheirValuesInAnOrderTheJvmAccepts() {
    HeapReturn.apply(IDLE);

    assertThat(VM.getVMOption("MinHeapFreeRatio").getValue()).isEqualTo("10");
    assertThat(VM.getVMOption("MaxHeapFreeRatio").getValue()).isEqualTo("20");
    assertThat(VM.getVMOption("G1PeriodicGCInterval").getValue()).isEqualTo("1000");
  }

  @Test
  void aZeroIntervalChangesNothing() {
    HeapReturn.apply(Duration.ZERO);

    HeapReturn.flags(IDLE)
        .keySet()
        .forEach(flag -> assertThat(VM.getVMOption(flag).getValue()).isEqualTo(DEFAULTS.get(flag)));
  }

  @Test
  void heapGrownByABurstIsReturnedOnceIdle() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    HeapReturn.apply(IDLE);
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
