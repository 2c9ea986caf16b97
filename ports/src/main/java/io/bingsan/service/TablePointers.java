package io.bingsan.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.bingsan.ports.out.TableChangeNotices;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Table pointers as this node last read or moved them, each with the moment that read or swap
 * began, so that concurrent requests share reads and stay linearizable.
 *
 * <p>A read that began after a request did returned a pointer that was current at some moment of
 * that request: as good an answer for it as a read of its own. So is this node's own swap for a
 * request that began before it, since the swapped-in pointer was current when the swap committed.
 *
 * <p>A request that finds no such read or swap reads its table at once if one of a few readers is
 * free and no read of that table is under way. Otherwise it joins the batch being gathered, which
 * reads every table its requests asked for in one statement once a reader is free and none of its
 * tables is being read: a read in progress began too early for the requests waiting on it, and the
 * next serves them all. So the writers that lose to a new version, and the clients that load one
 * table at once, cost the database a read or two; and when every reader is busy, the loads of many
 * tables share one. A batch holds at most one table per request thread waiting on it.
 *
 * <p>While this node's {@link TableChangeNotices} are current, a finished read serves every later
 * request too, until the node hears that its table changed: no other node acknowledges a change
 * before this node has heard of it. Each read notes how many changes of its table's stripe the node
 * had heard of when it began; one heard since, or a notice that changes were missed, retires it.
 */
final class TablePointers {
  /** Tables remembered; beyond that the least used are read again. */
  private static final int REMEMBERED_TABLES = 100_000;

  /** Tables share counts of the changes heard; more stripes only retire fewer reads needlessly. */
  private static final int HEARD_STRIPES = 4096;

  /** A count no stripe reaches: the reading serves only requests begun before it. */
  private static final long NEVER_CURRENT = -1;

  /** Reads the current pointers of tables of one warehouse, in the order asked. */
  @FunctionalInterface
  interface Reader {
    List<Optional<String>> read(String warehouse, List<TableIdentifier> identifiers);
  }

  /**
   * A read or swap begun at {@code startedNanos}, when the table's stripe had heard {@code heard}
   * changes; {@code pointer} is empty for no table.
   */
  private record Reading(
      long startedNanos, long heard, CompletableFuture<Optional<String>> pointer) {}

  /** When a swap began, and the changes its table's stripe had heard by then. */
  record Since(long nanos, long heard) {}

  /** A table asked for; its warehouse is its key's first element. */
  private record Wanted(TableIdentifier identifier, CompletableFuture<Optional<String>> pointer) {}

  /** The tables asked for until a reader takes them. */
  private static final class Batch {
    final Map<List<String>, Wanted> tables = new LinkedHashMap<>();
  }

  private final Reader reader;
  private final Semaphore readers;
  private final TableChangeNotices notices;
  private final AtomicLongArray heard = new AtomicLongArray(HEARD_STRIPES);

  // Every load writes here: upkeep on the writing thread spares a pool thread's wake-up per load.
  private final Cache<List<String>, Reading> latest =
      Caffeine.newBuilder().maximumSize(REMEMBERED_TABLES).executor(Runnable::run).build();

  private final Object batches = new Object();
  private Batch gathering; // guarded by batches

  /** @param concurrentReads reads run at once, of one table or of a batch */
  TablePointers(Reader reader, int concurrentReads, TableChangeNotices notices) {
    this.reader = reader;
    this.readers = new Semaphore(concurrentReads);
    this.notices = notices;
    notices.subscribe(
        new TableChangeNotices.Subscriber() {
          @Override
          public void changed(String warehouse, List<TableIdentifier> tables) {
            forget(tables.stream().map(table -> key(warehouse, table)).toList());
          }

          @Override
          public void missed() {
            for (int stripe = 0; stripe < HEARD_STRIPES; stripe++) {
              heard.incrementAndGet(stripe);
            }
            latest.invalidateAll();
          }
        });
  }

  /** A table as the store tells it apart: warehouse, then each level and the name lower-cased. */
  static List<String> key(String warehouse, TableIdentifier identifier) {
    String[] levels = identifier.namespace().levels();
    String[] key = new String[levels.length + 2];
    key[0] = warehouse;
    for (int i = 0; i < levels.length; i++) {
      key[i + 1] = levels[i].toLowerCase(Locale.ROOT);
    }
    key[key.length - 1] = identifier.name().toLowerCase(Locale.ROOT);
    return Arrays.asList(key);
  }

  /**
   * The pointer as it was at some moment after {@code sinceNanos} (a {@link System#nanoTime()}):
   * from a read or swap begun since then, or else from a read of its own or the next batch; empty
   * for no table.
   */
  Optional<String> current(String warehouse, TableIdentifier identifier, long sinceNanos) {
    List<String> key = key(warehouse, identifier);
    ConcurrentMap<List<String>, Reading> readings = latest.asMap();
    while (true) {
      Reading last = readings.get(key);
      if (last != null && (last.startedNanos() - sinceNanos >= 0 || stillCurrent(key, last))) {
        return Futures.join(last.pointer());
      }
      if ((last != null && !last.pointer().isDone()) || !readers.tryAcquire()) {
        return gathered(identifier, key);
      }
      // A reader is free and the table is not being read: read it alone, clear of the batch lock.
      Reading mine = new Reading(System.nanoTime(), heard(key), new CompletableFuture<>());
      boolean started =
          last == null
              ? readings.putIfAbsent(key, mine) == null
              : readings.replace(key, last, mine);
      if (!started) {
        readers.release();
        continue;
      }
      try {
        read(warehouse, Map.of(key, new Wanted(identifier, mine.pointer())));
      } finally {
        readers.release();
      }
      return Futures.join(mine.pointer());
    }
  }

  /** The pointer from the batch being gathered, which this request reads if it opened it. */
  private Optional<String> gathered(TableIdentifier identifier, List<String> key) {
    Batch batch;
    boolean opened;
    CompletableFuture<Optional<String>> pointer;
    synchronized (batches) {
      opened = gathering == null;
      if (opened) {
        gathering = new Batch();
      }
      batch = gathering;
      pointer =
          batch.tables.computeIfAbsent(
                  key, table -> new Wanted(identifier, new CompletableFuture<>()))
              .pointer();
    }
    if (opened) {
      read(batch);
    }
    return Futures.join(pointer);
  }

  /** Reads the batch this request opened, with every table asked for until it starts. */
  private void read(Batch batch) {
    takeReader(batch);
    try {
      Map<String, Map<List<String>, Wanted>> byWarehouse = new LinkedHashMap<>();
      batch.tables.forEach(
          (key, wanted) ->
              byWarehouse
                  .computeIfAbsent(key.getFirst(), warehouse -> new LinkedHashMap<>())
                  .put(key, wanted));
      byWarehouse.forEach(this::read);
    } finally {
      readers.release();
    }
  }

  /**
   * Takes a reader once none of the batch's tables is being read, and closes the batch. It waits
   * for such a read once at most: a table read again and again meanwhile cannot hold it up.
   */
  private void takeReader(Batch batch) {
    boolean waited = false;
    while (true) {
      readers.acquireUninterruptibly();
      CompletableFuture<Optional<String>> busy;
      synchronized (batches) {
        busy = waited ? null : readUnderWay(batch);
        if (busy == null) {
          gathering = null;
          long started = System.nanoTime();
          // Requests that began before this read, yet missed the batch, may share it too.
          batch.tables.forEach(
              (key, wanted) -> remember(key, new Reading(started, heard(key), wanted.pointer())));
          return;
        }
      }
      readers.release();
      busy.exceptionally(failure -> Optional.empty()).join();
      waited = true;
    }
  }

  /** A read of one of the batch's tables that has not ended, or null. */
  private CompletableFuture<Optional<String>> readUnderWay(Batch batch) {
    ConcurrentMap<List<String>, Reading> readings = latest.asMap();
    for (List<String> key : batch.tables.keySet()) {
      Reading last = readings.get(key);
      if (last != null && !last.pointer().isDone()) {
        return last.pointer();
      }
    }
    return null;
  }

  private void read(String warehouse, Map<List<String>, Wanted> tables) {
    List<Wanted> wanted = List.copyOf(tables.values());
    try {
      List<Optional<String>> pointers =
          reader.read(warehouse, wanted.stream().map(Wanted::identifier).toList());
      for (int i = 0; i < wanted.size(); i++) {
        wanted.get(i).pointer().complete(pointers.get(i));
      }
    } catch (RuntimeException | Error e) {
      ConcurrentMap<List<String>, Reading> readings = latest.asMap();
      tables.forEach(
          (key, table) -> {
            readings.computeIfPresent(
                key, (k, last) -> last.pointer() == table.pointer() ? null : last);
            table.pointer().completeExceptionally(e);
          });
    }
  }

  /** Marks the start of a swap of the table: call it before the swap. */
  Since since(List<String> key) {
    return new Since(System.nanoTime(), heard(key));
  }

  /**
   * This node's swap, begun at {@code since}, set the pointer to {@code location}. Reads begun
   * before the swap committed retire; the swap's pointer stays current unless the table's stripe
   * heard of another change while it ran.
   */
  void moved(List<String> key, Since since, String location) {
    long heardNow = heard.incrementAndGet(stripe(key));
    long untouched = since.heard() + 1;
    remember(
        key,
        new Reading(
            since.nanos(),
            heardNow == untouched ? heardNow : NEVER_CURRENT,
            CompletableFuture.completedFuture(Optional.of(location))));
  }

  /**
   * Whether a finished read is still the table's pointer: the node has heard of every change
   * acknowledged elsewhere, and of none to this table's stripe since the read began.
   */
  private boolean stillCurrent(List<String> key, Reading last) {
    CompletableFuture<Optional<String>> pointer = last.pointer();
    return pointer.isDone()
        && !pointer.isCompletedExceptionally()
        && last.heard() == heard(key)
        && notices.current();
  }

  private long heard(List<String> key) {
    return heard.get(stripe(key));
  }

  private static int stripe(List<String> key) {
    int hash = key.hashCode();
    return (hash ^ (hash >>> 16)) & (HEARD_STRIPES - 1);
  }

  /** Keeps the later begun of what this node knew and {@code reading}. */
  private void remember(List<String> key, Reading reading) {
    latest
        .asMap()
        .merge(
            key,
            reading,
            (last, mine) -> last.startedNanos() - mine.startedNanos() > 0 ? last : mine);
  }

  /** The pointer this node last read or moved, however long ago; null if it knows none. */
  String lastKnown(List<String> key) {
    Reading last = latest.getIfPresent(key);
    if (last == null || !last.pointer().isDone() || last.pointer().isCompletedExceptionally()) {
      return null;
    }
    return last.pointer().join().orElse(null);
  }

  /**
   * Forgets what this node knows of these tables, and retires the reads of them under way: their
   * pointers moved elsewhere, or this node created, renamed or dropped them.
   */
  void forget(Collection<List<String>> keys) {
    for (List<String> key : keys) {
      heard.incrementAndGet(stripe(key));
    }
    latest.invalidateAll(keys);
  }
}
