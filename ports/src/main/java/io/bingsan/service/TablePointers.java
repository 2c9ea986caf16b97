package io.bingsan.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Table pointers as this node last read or moved them, each with the moment that read or swap
 * began, so that concurrent requests share reads and stay linearizable.
 *
 * <p>A read that began after a request did returned a pointer that was current at some moment of
 * that request: as good an answer for it as a read of its own. So is this node's own swap for a
 * request that began before it, since the swapped-in pointer was current when the swap committed.
 * A request that finds only an unfinished read begun before it waits for that read, then shares
 * the next: the writers that lose to a new version, and the clients that load one table at once,
 * cost the database a read or two rather than one each.
 */
final class TablePointers {
  /** Tables remembered; beyond that the least used are read again. */
  private static final int REMEMBERED_TABLES = 100_000;

  /** A read or swap begun at {@code startedNanos}; {@code pointer} is empty for no table. */
  private record Reading(long startedNanos, CompletableFuture<Optional<String>> pointer) {}

  // Every load writes here: upkeep on the writing thread spares a pool thread's wake-up per load.
  private final Cache<List<String>, Reading> latest =
      Caffeine.newBuilder().maximumSize(REMEMBERED_TABLES).executor(Runnable::run).build();

  /** A table as the store tells it apart: warehouse, then each level and the name lower-cased. */
  static List<String> key(String warehouse, TableIdentifier identifier) {
    List<String> key = new ArrayList<>();
    key.add(warehouse);
    for (String level : identifier.namespace().levels()) {
      key.add(level.toLowerCase(Locale.ROOT));
    }
    key.add(identifier.name().toLowerCase(Locale.ROOT));
    return key;
  }

  /**
   * The pointer as it was at some moment after {@code sinceNanos} (a {@link System#nanoTime()}):
   * from a read or swap begun since then, or else from {@code reader}.
   */
  Optional<String> current(
      List<String> key, long sinceNanos, Supplier<Optional<String>> reader) {
    ConcurrentMap<List<String>, Reading> readings = latest.asMap();
    while (true) {
      Reading last = readings.get(key);
      if (last != null && last.startedNanos() - sinceNanos >= 0) {
        return Futures.join(last.pointer());
      }
      if (last != null && !last.pointer().isDone()) {
        // Begun too early to serve us; the next read, begun once it ends, serves all who waited.
        last.pointer().exceptionally(failure -> Optional.empty()).join();
        continue;
      }
      Reading mine = new Reading(System.nanoTime(), new CompletableFuture<>());
      boolean started =
          last == null
              ? readings.putIfAbsent(key, mine) == null
              : readings.replace(key, last, mine);
      if (started) {
        return read(key, mine, reader);
      }
    }
  }

  private Optional<String> read(
      List<String> key, Reading mine, Supplier<Optional<String>> reader) {
    try {
      Optional<String> pointer = reader.get();
      mine.pointer().complete(pointer);
      return pointer;
    } catch (RuntimeException | Error e) {
      latest.asMap().remove(key, mine);
      mine.pointer().completeExceptionally(e);
      throw e;
    }
  }

  /** This node's swap, begun at {@code startedNanos}, set the pointer to {@code location}. */
  void moved(List<String> key, long startedNanos, String location) {
    Reading swap =
        new Reading(startedNanos, CompletableFuture.completedFuture(Optional.of(location)));
    latest
        .asMap()
        .merge(key, swap, (last, mine) -> last.startedNanos() - startedNanos > 0 ? last : mine);
  }

  /** The pointer this node last read or moved, however long ago; null if it knows none. */
  String lastKnown(List<String> key) {
    Reading last = latest.getIfPresent(key);
    if (last == null || !last.pointer().isDone() || last.pointer().isCompletedExceptionally()) {
      return null;
    }
    return last.pointer().join().orElse(null);
  }

  /** Forgets what this node knows of these tables: their pointers moved elsewhere. */
  void forget(Collection<List<String>> keys) {
    latest.invalidateAll(keys);
  }
}
