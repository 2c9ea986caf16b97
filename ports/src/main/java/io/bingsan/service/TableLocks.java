package io.bingsan.service;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.apache.iceberg.exceptions.ServiceUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queues one node's commits per table, first come first served, so that each plans on the result
 * of the one before it. Tables share a fixed set of fair locks by hash: two tables on one lock
 * merely queue together.
 *
 * <p>The queue only saves wasted work; correctness stays with the compare-and-swap in the
 * database, which other nodes share. So a commit that waited {@code maxWait} in vain goes ahead
 * unqueued rather than fail: a holder stuck in slow storage then delays the others by at most
 * that long.
 */
final class TableLocks {
  private static final Logger LOG = LoggerFactory.getLogger(TableLocks.class);

  private final ReentrantLock[] stripes;
  private final long maxWaitNanos;

  TableLocks(int stripeCount, Duration maxWait) {
    if (stripeCount < 1) {
      throw new IllegalArgumentException("stripeCount must be positive");
    }
    this.stripes = new ReentrantLock[stripeCount];
    for (int i = 0; i < stripeCount; i++) {
      stripes[i] = new ReentrantLock(true);
    }
    this.maxWaitNanos = requireNonNull(maxWait, "maxWait is null").toNanos();
  }

  /**
   * Runs {@code action} holding the locks of all {@code keys}, or none of them when they could not
   * all be had within the wait.
   *
   * @param keys the tables, as values with a stable {@code hashCode}
   */
  <T> T withLocks(Collection<?> keys, Supplier<T> action) {
    List<ReentrantLock> held = lockAll(keys);
    try {
      return action.get();
    } finally {
      held.forEach(ReentrantLock::unlock);
    }
  }

  private List<ReentrantLock> lockAll(Collection<?> keys) {
    // One global order, ascending stripe, so that crossing multi-table commits cannot deadlock.
    int[] order = keys.stream().mapToInt(this::stripe).distinct().sorted().toArray();
    long deadline = System.nanoTime() + maxWaitNanos;
    List<ReentrantLock> held = new ArrayList<>(order.length);
    try {
      for (int index : order) {
        ReentrantLock lock = stripes[index];
        if (!lock.tryLock(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
          LOG.debug("Commit to {} waited too long for its turn; going ahead unqueued", keys);
          held.forEach(ReentrantLock::unlock);
          return List.of();
        }
        held.add(lock);
      }
      return held;
    } catch (InterruptedException e) {
      held.forEach(ReentrantLock::unlock);
      Thread.currentThread().interrupt();
      throw new ServiceUnavailableException("Interrupted while waiting to commit");
    }
  }

  private int stripe(Object key) {
    int hash = key.hashCode();
    // A power-of-two count would use only the low bits; mix the high ones in, as HashMap does.
    return Math.floorMod(hash ^ (hash >>> 16), stripes.length);
  }
}
