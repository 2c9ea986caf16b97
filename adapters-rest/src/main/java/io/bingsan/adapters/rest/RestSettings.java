package io.bingsan.adapters.rest;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.zip.Deflater;

/**
 * Tunables of the REST API.
 *
 * @param maxRequestBytes largest accepted request body; larger ones get 413
 * @param idempotencyKeyLifetime how long an {@code Idempotency-Key} replays its first result;
 *     advertised to clients by {@code GET /v1/config}
 * @param idempotencyWait how long a retry waits for the first request with its key to finish
 *     before answering 503
 * @param responseCacheBytes memory for serialized loadTable responses; 0 turns the cache off
 * @param gzipLevel deflate level of table responses ({@link Deflater}'s: 1 fastest to 9 smallest,
 *     -1 its default), which are compressed here rather than by the server's gzip handler; a host
 *     keeps the two alike
 */
public record RestSettings(
    long maxRequestBytes,
    Duration idempotencyKeyLifetime,
    Duration idempotencyWait,
    long responseCacheBytes,
    int gzipLevel) {

  public RestSettings {
    if (maxRequestBytes < 1 || maxRequestBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("maxRequestBytes must be between 1 and 2 GiB");
    }
    requireNonNull(idempotencyKeyLifetime, "idempotencyKeyLifetime is null");
    if (idempotencyKeyLifetime.isNegative() || idempotencyKeyLifetime.isZero()) {
      throw new IllegalArgumentException("idempotencyKeyLifetime must be positive");
    }
    requireNonNull(idempotencyWait, "idempotencyWait is null");
    if (idempotencyWait.isNegative()) {
      throw new IllegalArgumentException("idempotencyWait must not be negative");
    }
    if (responseCacheBytes < 0) {
      throw new IllegalArgumentException("responseCacheBytes must not be negative");
    }
    if (gzipLevel < Deflater.DEFAULT_COMPRESSION || gzipLevel > Deflater.BEST_COMPRESSION) {
      throw new IllegalArgumentException("gzipLevel must be between -1 and 9");
    }
  }

  /**
   * 16 MiB bodies, keys replayed for 30 minutes, retries wait 5 s, 128 MiB of loadTable cache, the
   * fastest deflate.
   */
  public static RestSettings defaults() {
    return new RestSettings(
        16L * 1024 * 1024,
        Duration.ofMinutes(30),
        Duration.ofSeconds(5),
        128L * 1024 * 1024,
        Deflater.BEST_SPEED);
  }
}
