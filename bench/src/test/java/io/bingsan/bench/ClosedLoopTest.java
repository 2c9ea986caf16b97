package io.bingsan.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClosedLoopTest {
  private static final ClosedLoop.Window WINDOW =
      new ClosedLoop.Window(Duration.ofSeconds(2), Duration.ofMillis(500), Long.MAX_VALUE);

  private static final ClosedLoop.Workers SLEEPERS =
      (index, resources) ->
          () -> {
            Thread.sleep(5);
            return 200;
          };

  @Test
  void aWindowIsPutOffWhileStealIsTooHighUntilItsWaitIsUsedUp() throws Exception {
    // No steal is low enough for a bound below zero, so the whole wait is used.
    ClosedLoop loop =
        new ClosedLoop(new Machine(0, 0, ""), new Profiler(0, null), Duration.ofSeconds(2), -1);
    long started = System.nanoTime();

    Measurement measurement = loop.run("w", 2, WINDOW, SLEEPERS);

    assertThat(measurement.extra()).containsEntry("stealWaitSeconds", 2L);
    assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(4_500_000_000L);
    assertThat(measurement.seconds()).isCloseTo(0.5, within(0.05));
    assertThat(measurement.ops()).isPositive();
  }

  @Test
  void aWindowStartsOnTimeWhenStealIsWithinItsBound() throws Exception {
    ClosedLoop loop =
        new ClosedLoop(new Machine(0, 0, ""), new Profiler(0, null), Duration.ofSeconds(2), 100);
    long started = System.nanoTime();

    Measurement measurement = loop.run("w", 2, WINDOW, SLEEPERS);

    assertThat(measurement.extra()).doesNotContainKey("stealWaitSeconds");
    assertThat(System.nanoTime() - started).isLessThan(4_000_000_000L);
    assertThat(measurement.ops()).isPositive();
  }
}
