package io.bingsan.app;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Has G1 give back to the operating system the heap a burst of requests grew. Left alone, G1 keeps
 * what it once committed (a node that served a burst held over 1 GiB with 160 MiB live), and a
 * plain {@code java -jar} carries no heap flags. The JVM's own flags for this can be set at run
 * time: a periodic collection once the node has been idle, and free-heap ratios that let each
 * marking cycle shrink the heap until at most 20% of it is free. A flag given on the command line
 * is left as the operator set it.
 */
final class HeapReturn {
  private static final Logger LOG = LoggerFactory.getLogger(HeapReturn.class);

  /** Where a flag comes from when an operator gave it: the command line, its file or variable. */
  private static final Set<VMOption.Origin> OPERATOR_SET =
      EnumSet.of(
          VMOption.Origin.VM_CREATION, VMOption.Origin.ENVIRON_VAR, VMOption.Origin.CONFIG_FILE);

  private HeapReturn() {}

  /**
   * The flags and values for returning idle heap after {@code idleInterval}, in the order they
   * must be set (the minimum free ratio may not exceed the maximum).
   */
  static Map<String, String> flags(Duration idleInterval) {
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put("MinHeapFreeRatio", "10");
    flags.put("MaxHeapFreeRatio", "20");
    flags.put("G1PeriodicGCInterval", Long.toString(idleInterval.toMillis()));
    return flags;
  }

  /**
   * Sets the flags of {@link #flags} that the operator did not give, when the collector is G1
   * and {@code idleInterval} is positive; other collectors size their heaps by other rules.
   */
  static void apply(Duration idleInterval) {
    HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    if (idleInterval.isZero() || !"true".equals(vm.getVMOption("UseG1GC").getValue())) {
      return;
    }
    flags(idleInterval)
        .forEach(
            (name, value) -> {
              if (OPERATOR_SET.contains(vm.getVMOption(name).getOrigin())) {
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
}
