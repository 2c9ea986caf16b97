package io.bingsan.domain.commit;

import java.time.Duration;

/**
 * How often, and after what pause, a commit that lost the compare-and-swap to a concurrent commit
 * is tried again on fresh metadata. On one database the race is decided in microseconds, so short
 * pauses are right; the bound keeps a hot table from holding a request forever.
 *
 * @param maxAttempts attempts in all, the first included
 * @param minBackoff pause after the first lost race
 * @param maxBackoff longest pause
 */
public record CommitRetryPolicy(int maxAttempts, Duration minBackoff, Duration maxBackoff) {
  public static final CommitRetryPolicy DEFAULT =
      new CommitRetryPolicy(8, Duration.ofMillis(2), Duration.ofMillis(200));

  public CommitRetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    if (minBackoff.isNegative() || maxBackoff.compareTo(minBackoff) < 0) {
      throw new IllegalArgumentException("need 0 <= minBackoff <= maxBackoff");
    }
  }

  public boolean mayRetryAfter(int attempt) {
    return attempt < maxAttempts;
  }

  /**
   * The pause after the given failed attempt (1-based): exponential, capped, scaled by {@code
   * jitter} in [0, 1) so that racing clients spread out.
   */
  public Duration backoff(int attempt, double jitter) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt counts from 1: " + attempt);
    }
    long min = minBackoff.toNanos();
    long max = maxBackoff.toNanos();
    int doublings = Math.min(attempt - 1, Long.SIZE - 2);
    // min * 2^doublings, capped at max; compared before shifting so that it cannot overflow.
    long capped = min > (max >> doublings) ? max : min << doublings;
    return Duration.ofNanos((long) (capped * (0.5 + jitter / 2)));
  }
}
