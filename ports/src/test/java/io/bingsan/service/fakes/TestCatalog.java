package io.bingsan.service.fakes;

import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;

import io.bingsan.domain.catalog.Warehouse;
import io.bingsan.domain.commit.CommitRetryPolicy;
import io.bingsan.domain.commit.TableCommit;
import io.bingsan.ports.out.CatalogChangeLog;
import io.bingsan.ports.out.TableChangeNotices;
import io.bingsan.service.CatalogServices;
import io.bingsan.service.MetadataCache;
import io.bingsan.service.Warehouses;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.MetadataUpdate;
import org.apache.iceberg.Schema;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.UpdateRequirement;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.requests.CreateTableRequest;
import org.apache.iceberg.types.Types;

/**
 * The catalog's services on in-memory ports: warehouse {@value #WAREHOUSE} rooted at {@value #ROOT}
 * (also allowing {@value #SHARED_ROOT}), and a second warehouse {@value #OTHER_WAREHOUSE}.
 */
public final class TestCatalog {
  public static final String WAREHOUSE = "wh";
  public static final String ROOT = "file:/warehouse";
  public static final String SHARED_ROOT = "s3://shared/tables";
  public static final String OTHER_WAREHOUSE = "other";
  public static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
  public static final Schema SCHEMA =
      new Schema(
          required(1, "id", Types.LongType.get()), optional(2, "data", Types.StringType.get()));

  public final InMemoryCatalogStore store = new InMemoryCatalogStore();
  public final InMemoryMetadataFileStore files = new InMemoryMetadataFileStore();
  public final InMemoryMetricsReportStore reports = new InMemoryMetricsReportStore(store);
  public final SequentialIds ids = new SequentialIds();
  public final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final Warehouses warehouses =
      new Warehouses(
          List.of(
              new Warehouse(WAREHOUSE, ROOT, List.of(ROOT, SHARED_ROOT)),
              new Warehouse(OTHER_WAREHOUSE, "s3://other/warehouse", null)));
  private final CommitRetryPolicy retryPolicy;
  private final Duration commitTurnWait;
  public final CatalogServices services;

  /** Retries without pauses, so tests of lost races run fast. */
  public TestCatalog() {
    this(new CommitRetryPolicy(4, Duration.ZERO, Duration.ZERO));
  }

  public TestCatalog(CommitRetryPolicy retryPolicy) {
    this(retryPolicy, CatalogServices.DEFAULT_COMMIT_TURN_WAIT);
  }

  /**
   * Waits for a commit's turn as long as it takes, so a test of turn-taking does not depend on the
   * machine's speed: a slow host would otherwise send a commit ahead unqueued, as designed.
   */
  public static TestCatalog patient() {
    return new TestCatalog(
        new CommitRetryPolicy(4, Duration.ZERO, Duration.ZERO), Duration.ofHours(1));
  }

  public TestCatalog(CommitRetryPolicy retryPolicy, Duration commitTurnWait) {
    this.retryPolicy = retryPolicy;
    this.commitTurnWait = commitTurnWait;
    this.services = newNode();
  }

  /**
   * A node of this catalog: the same database and files, caches and commit turns of its own. It
   * hears of no other node's changes, so it reads every pointer it serves.
   */
  public CatalogServices newNode() {
    return newNode(store, TableChangeNotices.NONE);
  }

  /** A node that hears of the table changes of the other nodes on its notices' board. */
  public CatalogServices newNode(InMemoryNoticeBoard.Node notices) {
    return newNode(notices.changeLog(store), notices);
  }

  private CatalogServices newNode(CatalogChangeLog changes, TableChangeNotices notices) {
    return new CatalogServices(
        warehouses,
        new CatalogServices.Ports(store, store, changes, files, reports, ids, clock, notices),
        new MetadataCache(10_000_000),
        retryPolicy,
        commitTurnWait);
  }

  public Namespace namespace(String... levels) {
    Namespace namespace = Namespace.of(levels);
    services.namespaces().create(WAREHOUSE, namespace, Map.of());
    return namespace;
  }

  public TableMetadata createTable(TableIdentifier identifier) {
    return services
        .tables()
        .create(
            WAREHOUSE,
            identifier.namespace(),
            CreateTableRequest.builder().withName(identifier.name()).withSchema(SCHEMA).build());
  }

  public TableMetadata load(TableIdentifier identifier) {
    return services.tables().load(WAREHOUSE, identifier);
  }

  /** A commit by another client: sets one property, asserting only the table's identity. */
  public TableMetadata setProperty(TableIdentifier identifier, String key, String value) {
    return commit(identifier, new MetadataUpdate.SetProperties(Map.of(key, value)));
  }

  public TableMetadata commit(TableIdentifier identifier, MetadataUpdate... updates) {
    TableMetadata current = load(identifier);
    return services
        .tableCommits()
        .commit(
            WAREHOUSE,
            new TableCommit(
                identifier,
                List.of(new UpdateRequirement.AssertTableUUID(current.uuid())),
                List.of(updates)))
        .metadata();
  }
}
