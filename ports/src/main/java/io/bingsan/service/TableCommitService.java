package io.bingsan.service;

import static java.util.Objects.requireNonNull;

import io.bingsan.domain.catalog.CatalogNames;
import io.bingsan.domain.catalog.Warehouse;
import io.bingsan.domain.change.CatalogChange;
import io.bingsan.domain.change.ObjectKind;
import io.bingsan.domain.commit.CommitRetryPolicy;
import io.bingsan.domain.commit.MetadataLocations;
import io.bingsan.domain.commit.TableCommit;
import io.bingsan.domain.commit.TableCommitRules;
import io.bingsan.ports.out.CatalogObjectStore;
import io.bingsan.ports.out.MetadataFileStore;
import io.bingsan.ports.out.PointerMovedException;
import io.bingsan.service.MetadataPublisher.NewPointer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ServiceUnavailableException;

/**
 * Table commits, single or multi-table, by Iceberg's algorithm: load, check requirements, apply
 * updates, write the new metadata files, then swap every pointer in one database transaction.
 * Losing a swap to a concurrent commit retries on fresh metadata; only a requirement that no
 * longer holds is a conflict for the client.
 *
 * <p>On one node, commits to a table take turns ({@link TableLocks}): each plans on the result of
 * the one before, so a stale requirement fails before any file is written, and lost swaps, with
 * their wasted files, only happen between nodes.
 *
 * <p>A commit plans on the version this node last read or published for the table without reading
 * the pointer again: the swap compares the pointer anyway. If another node (or a drop, a rename)
 * moved it since, the swap fails and the commit is planned again, at once and in the same turn, on
 * pointers read afresh; a requirement or update the known version rejects is checked against the
 * version current during the request before the client hears of it ({@link TablePointers}: the
 * writers queued behind a winner learn its version from its swap, not from the database).
 */
public final class TableCommitService {
  private final Warehouses warehouses;
  private final CatalogObjectStore objects;
  private final MetadataFileStore files;
  private final MetadataPublisher publisher;
  private final MetadataCache cache;
  private final TableMetadataJson tableJson;
  private final CommitRetryPolicy retryPolicy;
  private final TableLocks locks;
  private final TablePointers tablePointers;
  private final CatalogServices.Infrastructure infrastructure;

  TableCommitService(
      Warehouses warehouses,
      CatalogObjectStore objects,
      MetadataFileStore files,
      MetadataPublisher publisher,
      MetadataCache cache,
      TableMetadataJson tableJson,
      CommitRetryPolicy retryPolicy,
      TableLocks locks,
      TablePointers pointers,
      CatalogServices.Infrastructure infrastructure) {
    this.warehouses = requireNonNull(warehouses, "warehouses is null");
    this.objects = requireNonNull(objects, "objects is null");
    this.files = requireNonNull(files, "files is null");
    this.publisher = requireNonNull(publisher, "publisher is null");
    this.cache = requireNonNull(cache, "cache is null");
    this.tableJson = requireNonNull(tableJson, "tableJson is null");
    this.retryPolicy = requireNonNull(retryPolicy, "retryPolicy is null");
    this.locks = requireNonNull(locks, "locks is null");
    this.tablePointers = requireNonNull(pointers, "pointers is null");
    this.infrastructure = requireNonNull(infrastructure, "infrastructure is null");
  }

  /** Commits one table; returns it as it is afterwards. */
  public CommittedTable commit(String warehouse, TableCommit commit) {
    return commitAll(warehouse, List.of(commit)).get(0);
  }

  /** Commits all tables or none; returns each table as it is afterwards, in request order. */
  public List<CommittedTable> commitAll(String warehouse, List<TableCommit> commits) {
    Warehouse target = warehouses.require(warehouse);
    Set<List<String>> tables = distinctTables(target, commits);
    long readsSince = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      long since = readsSince;
      try {
        return locks.withLocks(tables, () -> attempt(target, commits, since));
      } catch (PointerMovedException lostRace) {
        tablePointers.forget(tables);
        readsSince = System.nanoTime();
        if (!retryPolicy.mayRetryAfter(attempt)) {
          throw new CommitFailedException(
              lostRace, "Commit lost %d races to concurrent commits; retry", attempt);
        }
      }
      // Outside the turn: the tables' next commits on this node need not wait for our pause.
      pause(retryPolicy.backoff(attempt, ThreadLocalRandom.current().nextDouble()));
    }
  }

  /**
   * Plans, writes and publishes once.
   *
   * @param readsSince pointers read from then on are current enough to plan on
   * @throws PointerMovedException when a concurrent commit moved a pointer first; our files are
   *     deleted by then
   */
  private List<CommittedTable> attempt(
      Warehouse warehouse, List<TableCommit> commits, long readsSince) {
    Plan plan = plan(warehouse, commits, true, readsSince);
    if (plan.unchangedOnKnownPointers()) {
      // No swap will compare an unchanged table's pointer: its answer needs one read.
      plan = plan(warehouse, commits, false, readsSince);
    }
    try {
      return publish(warehouse, plan);
    } catch (PointerMovedException moved) {
      if (!plan.onKnownPointers()) {
        throw moved;
      }
      // A pointer may only have moved since this node last saw it, not during this attempt.
      return publish(warehouse, plan(warehouse, commits, false, System.nanoTime()));
    }
  }

  private List<CommittedTable> publish(Warehouse warehouse, Plan plan) {
    for (int i = 0; i < plan.pointers().size(); i++) {
      files.writeTableJson(
          plan.written().get(i).utf8(), plan.pointers().get(i).metadataLocation());
    }
    if (!plan.pointers().isEmpty()) {
      List<TablePointers.Since> swapStarted =
          plan.keys().stream().map(tablePointers::since).toList();
      publisher.publish(warehouse.name(), plan.changes(), plan.pointers());
      plan.results().forEach(result -> cache.putTable(result.metadata()));
      for (int i = 0; i < plan.pointers().size(); i++) {
        tablePointers.moved(
            plan.keys().get(i), swapStarted.get(i), plan.pointers().get(i).metadataLocation());
      }
    }
    return plan.results();
  }

  /**
   * What one attempt will write: for each changed table its new metadata JSON (for the file and
   * the answer alike), its change, its new pointer and its key (same index), and for every table
   * what the client gets back; whether it planned on a pointer it did not read, and whether a
   * table so planned is unchanged.
   */
  private record Plan(
      List<TableMetadataJson.Serialized> written,
      List<CatalogChange> changes,
      List<NewPointer> pointers,
      List<List<String>> keys,
      List<CommittedTable> results,
      boolean onKnownPointers,
      boolean unchangedOnKnownPointers) {}

  /**
   * @param useKnownPointers plan on the pointers this node knows instead of reading them
   * @param readsSince pointers read from then on are current enough for this plan
   */
  private Plan plan(
      Warehouse warehouse, List<TableCommit> commits, boolean useKnownPointers, long readsSince) {
    List<TableMetadataJson.Serialized> written = new ArrayList<>();
    List<CatalogChange> changes = new ArrayList<>();
    List<NewPointer> pointers = new ArrayList<>();
    List<List<String>> keys = new ArrayList<>();
    List<CommittedTable> results = new ArrayList<>();
    boolean onKnownPointers = false;
    boolean unchangedOnKnownPointers = false;
    for (TableCommit commit : commits) {
      TableIdentifier identifier = commit.identifier();
      List<String> key = TablePointers.key(warehouse.name(), identifier);
      String previousLocation;
      TableMetadata base;
      TableMetadata updated;
      if (TableCommitRules.isCreate(commit.requirements())) {
        CatalogNames.requireValid(identifier);
        if (objects.metadataLocation(warehouse.name(), ObjectKind.TABLE, identifier).isPresent()) {
          throw new CommitFailedException("Requirement failed: table already exists: %s", identifier);
        }
        previousLocation = null;
        base = null;
        updated = TableCommitRules.create(commit.updates());
      } else {
        String known = useKnownPointers ? tablePointers.lastKnown(key) : null;
        base =
            known != null
                ? cache.table(known, files::readTable)
                : current(warehouse, identifier, readsSince);
        boolean onKnownPointer = false;
        try {
          updated = TableCommitRules.apply(base, commit.requirements(), commit.updates());
          onKnownPointer = known != null;
        } catch (RuntimeException rejected) {
          if (known == null) {
            throw rejected;
          }
          // The known version may be stale; only the current one can reject the commit.
          base = current(warehouse, identifier, readsSince);
          if (base.metadataFileLocation().equals(known)) {
            throw rejected;
          }
          updated = TableCommitRules.apply(base, commit.requirements(), commit.updates());
        }
        onKnownPointers |= onKnownPointer;
        previousLocation = base.metadataFileLocation();
        if (updated.changes().isEmpty()) {
          unchangedOnKnownPointers |= onKnownPointer;
          results.add(new CommittedTable(base, tableJson.serialize(base)));
          continue;
        }
      }
      requireAllowedLocations(warehouse, base, updated);
      String location =
          MetadataLocations.nextTableMetadata(updated, previousLocation, infrastructure.ids().newId());
      TableMetadataJson.Serialized json = tableJson.serialize(updated);
      changes.add(
          previousLocation == null
              ? new CatalogChange.ObjectCreated(
                  ObjectKind.TABLE, identifier, updated.uuid(), location, false)
              : new CatalogChange.MetadataSwapped(
                  ObjectKind.TABLE, identifier, previousLocation, location));
      written.add(json);
      pointers.add(new NewPointer(ObjectKind.TABLE, identifier, location));
      keys.add(key);
      // The location is not part of the JSON, so the file's JSON is also the result's.
      results.add(new CommittedTable(TableService.withLocation(updated, location), json));
    }
    return new Plan(
        written, changes, pointers, keys, results, onKnownPointers, unchangedOnKnownPointers);
  }

  /**
   * The table's metadata as of a moment since {@code readsSince}: the file its pointer named then,
   * from the cache unless this node has not seen that version yet.
   */
  private TableMetadata current(Warehouse warehouse, TableIdentifier identifier, long readsSince) {
    String location =
        tablePointers
            .current(warehouse.name(), identifier, readsSince)
            .orElseThrow(() -> TableService.noSuchTable(identifier));
    return cache.table(location, files::readTable);
  }

  private static void requireAllowedLocations(
      Warehouse warehouse, TableMetadata base, TableMetadata updated) {
    if (base == null || !Objects.equals(base.location(), updated.location())) {
      warehouse.requireAllowed(updated.location());
    }
    String metadataPath = updated.property(TableProperties.WRITE_METADATA_LOCATION, null);
    if (metadataPath != null) {
      warehouse.requireAllowed(metadataPath);
    }
  }

  /** The tables as the store tells them apart: warehouse, then the name in lower case. */
  private static Set<List<String>> distinctTables(Warehouse warehouse, List<TableCommit> commits) {
    if (commits.isEmpty()) {
      throw new BadRequestException("A commit must name at least one table");
    }
    // Stores compare names case-insensitively, so "ns.T" and "ns.t" are one table.
    Set<List<String>> tables = new HashSet<>();
    for (TableCommit commit : commits) {
      if (!tables.add(TablePointers.key(warehouse.name(), commit.identifier()))) {
        throw new BadRequestException("Table %s appears twice in one commit", commit.identifier());
      }
    }
    return tables;
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServiceUnavailableException("Interrupted while retrying a commit");
    }
  }
}
