package io.bingsan.service;

import static java.util.Objects.requireNonNull;

import io.bingsan.domain.change.ObjectKind;
import io.bingsan.domain.commit.CommitRetryPolicy;
import io.bingsan.ports.out.CatalogChangeLog;
import io.bingsan.ports.out.CatalogObjectStore;
import io.bingsan.ports.out.IdGenerator;
import io.bingsan.ports.out.MetadataFileStore;
import io.bingsan.ports.out.MetricsReportStore;
import io.bingsan.ports.out.NamespaceStore;
import io.bingsan.ports.out.TableChangeNotices;
import java.time.Clock;
import java.time.Duration;

/** Builds the catalog's use cases from the ports that back them. */
public final class CatalogServices {

  /** What every writing use case needs besides its stores. */
  record Infrastructure(CatalogChangeLog changes, IdGenerator ids, Clock clock) {
    Infrastructure {
      requireNonNull(changes, "changes is null");
      requireNonNull(ids, "ids is null");
      requireNonNull(clock, "clock is null");
    }
  }

  /** The ports the services run on. */
  public record Ports(
      NamespaceStore namespaces,
      CatalogObjectStore objects,
      CatalogChangeLog changes,
      MetadataFileStore files,
      MetricsReportStore metricsReports,
      IdGenerator ids,
      Clock clock,
      TableChangeNotices notices) {
    public Ports {
      requireNonNull(namespaces, "namespaces is null");
      requireNonNull(objects, "objects is null");
      requireNonNull(changes, "changes is null");
      requireNonNull(files, "files is null");
      requireNonNull(metricsReports, "metricsReports is null");
      requireNonNull(ids, "ids is null");
      requireNonNull(clock, "clock is null");
      requireNonNull(notices, "notices is null");
    }
  }

  /**
   * How long a commit waits for its turn behind this node's other commits to the same table before
   * it goes ahead unqueued: far longer than a commit takes, far shorter than a client's timeout.
   */
  public static final Duration DEFAULT_COMMIT_TURN_WAIT = Duration.ofSeconds(1);

  /** Locks shared by all tables; more only make collisions between busy tables rarer. */
  private static final int COMMIT_LOCK_STRIPES = 1024;

  /**
   * Pointer reads a node runs at once. Each answers every request waiting on it, so a few serve
   * any number of loads; requests beyond them gather into batches. With eight, 64 clients' loads
   * mostly read alone, and the database's CPU per load was three times that of two.
   */
  private static final int CONCURRENT_POINTER_READS = 2;

  private final NamespaceService namespaceService;
  private final TableService tableService;
  private final TableCommitService tableCommitService;
  private final ViewService viewService;

  /**
   * @param commitTurnWait how long a commit waits behind this node's other commits to the same
   *     table before it goes ahead unqueued
   */
  public CatalogServices(
      Warehouses warehouses,
      Ports ports,
      MetadataCache cache,
      CommitRetryPolicy retryPolicy,
      Duration commitTurnWait) {
    Infrastructure infrastructure = new Infrastructure(ports.changes(), ports.ids(), ports.clock());
    MetadataPublisher publisher =
        new MetadataPublisher(ports.changes(), ports.objects(), ports.files());
    // Snapshot JSON kept for reuse across versions: only tables being committed to need theirs, so
    // a quarter of the metadata's bound.
    TableMetadataJson tableJson = new TableMetadataJson(cache.maxJsonChars() / 4);
    TablePointers pointers =
        new TablePointers(
            (warehouse, identifiers) ->
                ports.objects().metadataLocations(warehouse, ObjectKind.TABLE, identifiers),
            CONCURRENT_POINTER_READS,
            ports.notices());
    this.namespaceService = new NamespaceService(warehouses, ports.namespaces(), ports.changes());
    this.tableService =
        new TableService(
            warehouses,
            namespaceService,
            ports.objects(),
            ports.files(),
            publisher,
            cache,
            tableJson,
            ports.metricsReports(),
            pointers,
            infrastructure);
    this.tableCommitService =
        new TableCommitService(
            warehouses,
            ports.objects(),
            ports.files(),
            publisher,
            cache,
            tableJson,
            retryPolicy,
            new TableLocks(COMMIT_LOCK_STRIPES, commitTurnWait),
            pointers,
            infrastructure);
    this.viewService =
        new ViewService(
            warehouses, namespaceService, ports.objects(), ports.files(), publisher, cache,
            infrastructure);
  }

  public NamespaceService namespaces() {
    return namespaceService;
  }

  public TableService tables() {
    return tableService;
  }

  public TableCommitService tableCommits() {
    return tableCommitService;
  }

  public ViewService views() {
    return viewService;
  }
}
