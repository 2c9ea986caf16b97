package io.bingsan.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class MeasurementTest {
  @Test
  void percentilesAreNearestRank() {
    long[] millis = LongStream.rangeClosed(1, 1000).map(ms -> ms * 1_000_000).toArray();
    assertThat(Measurement.percentile(millis, 0.50)).isEqualTo(500.0);
    assertThat(Measurement.percentile(millis, 0.99)).isEqualTo(990.0);
    assertThat(Measurement.percentile(millis, 0.999)).isEqualTo(999.0);
    assertThat(Measurement.percentile(new long[] {7_000_000}, 0.999)).isEqualTo(7.0);
    assertThat(Measurement.percentile(new long[0], 0.5)).isNaN();
  }
}
