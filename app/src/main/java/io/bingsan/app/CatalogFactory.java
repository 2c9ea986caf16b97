package io.bingsan.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.bingsan.service.CatalogServices;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDataSize;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/** Catalog behaviour and the bounds every request lives within. */
public class CatalogFactory {
  /** Attempts of a commit that keeps losing the compare-and-swap to concurrent commits. */
  @Min(1)
  @Max(100)
  private int commitAttempts = 8;

  @NotNull
  @MinDuration(value = 0, unit = TimeUnit.MILLISECONDS)
  private Duration commitMinBackoff = Duration.milliseconds(2);

  @NotNull private Duration commitMaxBackoff = Duration.milliseconds(200);

  /** Largest request body accepted; larger ones get 413. */
  @NotNull
  @MinDataSize(1024)
  private DataSize maxRequestSize = DataSize.megabytes(16);

  /** Parsed metadata kept in memory, weighed by its JSON size; unset, sized to the heap. */
  private DataSize metadataCacheSize;

  /** Serialized loadTable responses kept in memory; unset, sized to the heap. */
  private DataSize responseCacheSize;

  /** How long an Idempotency-Key replays its first response (advertised in /v1/config). */
  @NotNull
  @MinDuration(value = 1, unit = TimeUnit.MINUTES)
  private Duration idempotencyKeyLifetime = Duration.minutes(30);

  /** How long a retried request waits for the first one with its Idempotency-Key before 503. */
  @NotNull private Duration idempotencyWait = Duration.seconds(5);

  /** How long a commit waits behind this node's other commits to its table before going ahead. */
  @NotNull
  private Duration commitTurnWait =
      Duration.milliseconds(CatalogServices.DEFAULT_COMMIT_TURN_WAIT.toMillis());

  /**
   * How long a node's lease holds (renewed four times as often). While it holds, the node answers
   * loads from the pointers it read; a table change waits this long at most for a node that stopped
   * answering.
   */
  @NotNull
  @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
  private Duration nodeLease = Duration.seconds(2);

  @JsonProperty
  public Duration getNodeLease() {
    return nodeLease;
  }

  @JsonProperty
  public void setNodeLease(Duration nodeLease) {
    this.nodeLease = nodeLease;
  }

  @JsonProperty
  public Duration getCommitTurnWait() {
    return commitTurnWait;
  }

  @JsonProperty
  public void setCommitTurnWait(Duration commitTurnWait) {
    this.commitTurnWait = commitTurnWait;
  }

  @JsonProperty
  public Duration getIdempotencyWait() {
    return idempotencyWait;
  }

  @JsonProperty
  public void setIdempotencyWait(Duration idempotencyWait) {
    this.idempotencyWait = idempotencyWait;
  }

  @JsonProperty
  public int getCommitAttempts() {
    return commitAttempts;
  }

  @JsonProperty
  public void setCommitAttempts(int commitAttempts) {
    this.commitAttempts = commitAttempts;
  }

  @JsonProperty
  public Duration getCommitMinBackoff() {
    return commitMinBackoff;
  }

  @JsonProperty
  public void setCommitMinBackoff(Duration commitMinBackoff) {
    this.commitMinBackoff = commitMinBackoff;
  }

  @JsonProperty
  public Duration getCommitMaxBackoff() {
    return commitMaxBackoff;
  }

  @JsonProperty
  public void setCommitMaxBackoff(Duration commitMaxBackoff) {
    this.commitMaxBackoff = commitMaxBackoff;
  }

  @JsonProperty
  public DataSize getMaxRequestSize() {
    return maxRequestSize;
  }

  @JsonProperty
  public void setMaxRequestSize(DataSize maxRequestSize) {
    this.maxRequestSize = maxRequestSize;
  }

  /**
   * A cache's size when the configuration leaves it out: a sixteenth of the heap, from 1 to 16
   * MiB. Fixed sizes would fill a container's small default heap (a quarter of its memory), and
   * larger ones would keep a node's resident memory above 400 MB once idle.
   */
  static DataSize sizedToHeap(long maxHeapBytes) {
    long bytes = Math.clamp(maxHeapBytes / 16, 1L << 20, 16L << 20);
    return DataSize.kibibytes(bytes >> 10);
  }

  private static DataSize orSizedToHeap(DataSize configured) {
    return configured != null ? configured : sizedToHeap(Runtime.getRuntime().maxMemory());
  }

  @JsonProperty
  public DataSize getMetadataCacheSize() {
    return orSizedToHeap(metadataCacheSize);
  }

  @JsonProperty
  public void setMetadataCacheSize(DataSize metadataCacheSize) {
    this.metadataCacheSize = metadataCacheSize;
  }

  @JsonProperty
  public DataSize getResponseCacheSize() {
    return orSizedToHeap(responseCacheSize);
  }

  @JsonProperty
  public void setResponseCacheSize(DataSize responseCacheSize) {
    this.responseCacheSize = responseCacheSize;
  }

  @JsonProperty
  public Duration getIdempotencyKeyLifetime() {
    return idempotencyKeyLifetime;
  }

  @JsonProperty
  public void setIdempotencyKeyLifetime(Duration idempotencyKeyLifetime) {
    this.idempotencyKeyLifetime = idempotencyKeyLifetime;
  }
}
