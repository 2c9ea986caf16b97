package io.bingsan.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
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

  @Test
  void cpuIsSplitPerOperationBetweenServerDatabaseAndGeneratorAndTheRestByShare() {
    Machine.Cpu before = new Machine.Cpu(1_000, Map.of(7L, 50.0), 300, 2_000, 40);
    Machine.Cpu after = new Machine.Cpu(1_800, Map.of(7L, 250.0, 8L, 100.0), 500, 3_500, 140);
    ClosedLoop.Recorder recorder = new ClosedLoop.Recorder();
    for (int i = 0; i < 100; i++) {
      recorder.record(200, 1_000_000);
    }

    Measurement measurement =
        Measurement.of("w", 1, 1.0, List.of(recorder), after.minus(before));

    assertThat(measurement.serverCpuMsPerOp()).isEqualTo(8.0);
    assertThat(measurement.databaseCpuMsPerOp()).isEqualTo(3.0);
    assertThat(measurement.generatorCpuMsPerOp()).isEqualTo(2.0);
    assertThat(measurement.toJson()).containsEntry("generatorCpuMsPerOp", 2.0);
    // Of 1,500 ms busy, 1,300 were ours; steal is counted apart, as shares of the whole machine.
    int cpus = Runtime.getRuntime().availableProcessors();
    assertThat(measurement.otherCpuPercent()).isCloseTo(20.0 / cpus, within(1e-9));
    assertThat(measurement.stealPercent()).isCloseTo(10.0 / cpus, within(1e-9));
    assertThat(measurement.toJson()).containsKey("stealPercent");
  }
}
