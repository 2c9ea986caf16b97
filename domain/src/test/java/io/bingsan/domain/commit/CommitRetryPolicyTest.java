package io.bingsan.domain.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CommitRetryPolicyTest {

  static Stream<Arguments> invalidPolicies() {
    return Stream.of(
        Arguments.of(0, Duration.ZERO, Duration.ZERO),
        Arguments.of(-1, Duration.ofMillis(1), Duration.ofMillis(2)),
        Arguments.of(3, Duration.ofMillis(-1), Duration.ofMillis(2)),
        Arguments.of(3, Duration.ofMillis(5), Duration.ofMillis(4)));
  }

  @ParameterizedTest(name = "attempts {0}, backoff {1}..{2}")
  @MethodSource("invalidPolicies")
  void rejectsPoliciesThatCannotWork(int attempts, Duration min, Duration max) {
    assertThatThrownBy(() -> new CommitRetryPolicy(attempts, min, max))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void defaultPolicyIsValidAndRetries() {
    CommitRetryPolicy policy = CommitRetryPolicy.DEFAULT;

    assertThat(policy.maxAttempts()).isGreaterThan(1);
    assertThat(policy.minBackoff()).isLessThanOrEqualTo(policy.maxBackoff());
    assertThat(policy.mayRetryAfter(1)).isTrue();
  }

  /** Exactly maxAttempts attempts in all: retries after every attempt but the last. */
  @ParameterizedTest(name = "maxAttempts {0}")
  @ValueSource(ints = {1, 2, 4, 9})
  void attemptsAreBounded(int maxAttempts) {
    CommitRetryPolicy policy = new CommitRetryPolicy(maxAttempts, Duration.ZERO, Duration.ZERO);

    int attempts = 1;
    while (policy.mayRetryAfter(attempts)) {
      attempts++;
    }

    assertThat(attempts).isEqualTo(maxAttempts);
  }

  /**
   * Property-style over seeded random policies: every pause lies in [min/2, max], and for a fixed
   * jitter pauses never shrink as attempts grow, up to the cap.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
  void backoffIsBoundedMonotoneAndCapped(long seed) {
    Random random = new Random(seed);
    for (int p = 0; p < 50; p++) {
      CommitRetryPolicy policy = randomPolicy(random);
      double jitter = random.nextDouble();
      Duration previous = Duration.ZERO;
      for (int attempt = 1; attempt <= 80; attempt++) {
        Duration pause = policy.backoff(attempt, jitter);

        assertThat(pause)
            .as("%s attempt %d", policy, attempt)
            .isLessThanOrEqualTo(policy.maxBackoff());
        assertThat(pause)
            .as("%s attempt %d", policy, attempt)
            .isGreaterThanOrEqualTo(policy.minBackoff().dividedBy(2));
        assertThat(pause).as("%s attempt %d", policy, attempt).isGreaterThanOrEqualTo(previous);
        previous = pause;
      }
      // After enough attempts the pause sits at the cap (scaled by the jitter).
      assertThat(previous).isGreaterThanOrEqualTo(policy.maxBackoff().dividedBy(2));
    }
  }

  @Test
  void firstPauseIsAboutTheMinimumAndGrows() {
    CommitRetryPolicy policy =
        new CommitRetryPolicy(8, Duration.ofMillis(10), Duration.ofSeconds(10));

    assertThat(policy.backoff(1, 0.999)).isBetween(Duration.ofMillis(5), Duration.ofMillis(10));
    assertThat(policy.backoff(4, 0.999)).isGreaterThan(policy.backoff(1, 0.999).multipliedBy(4));
  }

  /** Jitter spreads racing clients: same attempt, different jitter, different pause. */
  @Test
  void jitterSpreadsPauses() {
    CommitRetryPolicy policy =
        new CommitRetryPolicy(8, Duration.ofMillis(10), Duration.ofSeconds(1));

    long distinct =
        IntStream.range(0, 10).mapToObj(i -> policy.backoff(3, i / 10.0)).distinct().count();

    assertThat(distinct).isEqualTo(10);
  }

  /** Long pauses must not overflow nanoseconds into negative (that is, no) backoff. */
  @ParameterizedTest(name = "attempt {0}")
  @ValueSource(ints = {10, 21, 30, 63, 64, 1_000, Integer.MAX_VALUE})
  void hugeBackoffsSaturateAtTheCap(int attempt) {
    CommitRetryPolicy policy = new CommitRetryPolicy(3, Duration.ofDays(1), Duration.ofDays(2));

    assertThat(policy.backoff(attempt, 0.5)).isBetween(Duration.ofDays(1), Duration.ofDays(2));
  }

  @ParameterizedTest(name = "attempt {0}")
  @ValueSource(ints = {0, -1})
  void attemptsCountFromOne(int attempt) {
    CommitRetryPolicy policy = new CommitRetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(8));

    assertThatThrownBy(() -> policy.backoff(attempt, 0.5))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static CommitRetryPolicy randomPolicy(Random random) {
    // Spans microseconds to hours, where shifting nanoseconds can overflow.
    long minNanos = (long) Math.pow(10, 3 + random.nextDouble() * 10);
    long maxNanos = minNanos + (long) Math.pow(10, 3 + random.nextDouble() * 11);
    return new CommitRetryPolicy(
        1 + random.nextInt(10), Duration.ofNanos(minNanos), Duration.ofNanos(maxNanos));
  }
}
