package io.bingsan.adapters.rest;

import io.bingsan.ports.out.IdempotencyStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Idempotency records in memory, with the port's claim semantics. */
final class InMemoryIdempotencyStore implements IdempotencyStore {
  private record Entry(String operation, Instant expiresAt, FinalResponse response) {}

  private final Map<String, Entry> entries = new HashMap<>();
  private int claims;

  synchronized int claims() {
    return claims;
  }

  @Override
  public synchronized Claim claim(String key, String operation, Instant now, Instant expiresAt) {
    claims++;
    Entry entry = entries.get(key);
    if (entry != null && entry.expiresAt().isAfter(now)) {
      if (!entry.operation().equals(operation)) {
        throw new IllegalArgumentException("Idempotency-Key was used for another operation");
      }
      return entry.response() != null ? Claim.finished(entry.response()) : Claim.busy();
    }
    entries.put(key, new Entry(operation, expiresAt, null));
    return Claim.ownedByCaller();
  }

  @Override
  public synchronized void finish(String key, FinalResponse response) {
    Entry entry = entries.get(key);
    entries.put(key, new Entry(entry.operation(), entry.expiresAt(), response));
  }

  @Override
  public synchronized void release(String key) {
    entries.remove(key);
  }

  @Override
  public synchronized int deleteExpired(Instant now) {
    int before = entries.size();
    entries.values().removeIf(entry -> !entry.expiresAt().isAfter(now));
    return before - entries.size();
  }
}
