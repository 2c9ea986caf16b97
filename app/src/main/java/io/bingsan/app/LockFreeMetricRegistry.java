package io.bingsan.app;

import com.codahale.metrics.Histogram;
import com.codahale.metrics.LockFreeExponentiallyDecayingReservoir;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;

/**
 * The application's metric registry: timers and histograms sample on Dropwizard's lock-free
 * decaying reservoir, which keeps the default's statistics. Jetty's request metrics update three
 * timers per request, and the default reservoir takes a shared lock for each update.
 */
final class LockFreeMetricRegistry extends MetricRegistry {

  @Override
  public Timer timer(String name) {
    return timer(name, () -> new Timer(LockFreeExponentiallyDecayingReservoir.builder().build()));
  }

  @Override
  public Histogram histogram(String name) {
    return histogram(
        name, () -> new Histogram(LockFreeExponentiallyDecayingReservoir.builder().build()));
  }
}
