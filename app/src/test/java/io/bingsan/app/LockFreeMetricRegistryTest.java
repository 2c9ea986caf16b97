package io.bingsan.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.Histogram;
import com.codahale.metrics.Timer;
import io.dropwizard.core.setup.Bootstrap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LockFreeMetricRegistryTest {

  @Test
  void theApplicationRegistersItsMetricsHere() {
    BingsanApplication application = new BingsanApplication();
    Bootstrap<BingsanConfiguration> bootstrap = new Bootstrap<>(application);

    application.initialize(bootstrap);

    assertThat(bootstrap.getMetricRegistry()).isInstanceOf(LockFreeMetricRegistry.class);
  }

  @Test
  void timersAndHistogramsAreRegisteredOnceByNameAndRecord() {
    LockFreeMetricRegistry registry = new LockFreeMetricRegistry();

    Timer timer = registry.timer("requests");
    for (int millis = 1; millis <= 100; millis++) {
      registry.timer("requests").update(millis, TimeUnit.MILLISECONDS);
    }
    Histogram histogram = registry.histogram("sizes");
    registry.histogram("sizes").update(7);

    assertThat(registry.getTimers()).containsEntry("requests", timer);
    assertThat(timer.getCount()).isEqualTo(100);
    assertThat(timer.getSnapshot().getMax()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
    assertThat(timer.getSnapshot().getMin()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1));
    assertThat(registry.getHistograms()).containsEntry("sizes", histogram);
    assertThat(histogram.getSnapshot().getValues()).containsExactly(7);
  }
}
