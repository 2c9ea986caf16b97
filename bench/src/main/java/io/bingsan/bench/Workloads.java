package io.bingsan.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * The workloads, each as closed loops on tables this run creates in namespaces of its own:
 * loadTable, a table with many snapshots, createTable, commits and listTables.
 */
final class Workloads {
  /** Clients of the unmeasured warm-up that lets the server compile its hot paths. */
  private static final int WARMUP_CONCURRENCY = 8;

  /** The concurrent createTable: 8 clients at once. */
  private static final int CREATE_CONCURRENCY = 8;

  /** Setup runs on this many connections: quick, without being a workload of its own. */
  private static final int SETUP_CONNECTIONS = 4;

  /** A commit that conflicts this often in a row has stopped making progress. */
  private static final int MAX_COMMIT_ATTEMPTS = 100;

  private final IcebergRest rest;
  private final Settings settings;
  private final ClosedLoop loop;
  private final Consumer<Measurement> results;
  private final String loadNamespace;
  private final String listNamespace;
  private final AtomicInteger listTablesCreated = new AtomicInteger();

  Workloads(
      IcebergRest rest,
      Settings settings,
      ClosedLoop loop,
      String runId,
      Consumer<Measurement> results) {
    this.rest = rest;
    this.settings = settings;
    this.loop = loop;
    this.results = results;
    this.loadNamespace = "bench_" + runId;
    this.listNamespace = "bench_" + runId + "_list";
  }

  /** Namespaces every workload uses. */
  void setUp() throws IOException {
    try (HttpConnection connection = rest.connect()) {
      rest.createNamespace(connection, loadNamespace);
      rest.createNamespace(connection, listNamespace);
    }
  }

  private ClosedLoop.Window window() {
    return new ClosedLoop.Window(settings.warmup(), settings.measure(), settings.maxOpsPerWindow());
  }

  /** loadTable of small tables, each with a few snapshots, round-robin at each concurrency. */
  void loadTable() throws Exception {
    int count = settings.loadTables();
    List<String> names = IntStream.range(0, count).mapToObj("t%03d"::formatted).toList();
    List<String> paths = names.stream().map(name -> rest.table(loadNamespace, name)).toList();
    inParallel(
        count,
        (connection, i) ->
            commit(
                connection,
                paths.get(i),
                rest.createTable(connection, loadNamespace, names.get(i)),
                settings.snapshotsPerLoadTable()));
    // The first measured window must not pay for the server's JIT compilation: warm it up first.
    requests(
        "JIT warm-up",
        WARMUP_CONCURRENCY,
        new ClosedLoop.Window(settings.jitWarmup(), Duration.ZERO, Long.MAX_VALUE),
        inTurn(paths));
    for (int concurrency : settings.loadConcurrency()) {
      results.accept(
          requests("loadTable c=" + concurrency, concurrency, window(), inTurn(paths)));
    }
  }

  /** Runs one-GET operations on the generator's event loop. */
  private Measurement requests(
      String name, int concurrency, ClosedLoop.Window window, RequestLoop.Requests requests)
      throws Exception {
    return loop.run(name, concurrency, window, rest.target(), requests);
  }

  /** GETs of the paths in turn, whichever worker is next, so concurrent ones differ. */
  private RequestLoop.Requests inTurn(List<String> paths) {
    List<byte[]> requests = paths.stream().map(rest.target()::get).toList();
    AtomicInteger next = new AtomicInteger();
    return worker -> requests.get(Math.floorMod(next.getAndIncrement(), requests.size()));
  }

  /**
   * One table with many snapshots, built by batched append commits, then loaded in full, with
   * referenced snapshots only, and conditionally with the tag of the full representation.
   */
  void bigTable() throws Exception {
    String path = rest.table(loadNamespace, "big");
    long started = System.nanoTime();
    int built = 0;
    try (HttpConnection connection = rest.connect()) {
      IcebergRest.TableState state = rest.createTable(connection, loadNamespace, "big");
      while (built < settings.bigSnapshots()) {
        int batch = Math.min(settings.bigBatch(), settings.bigSnapshots() - built);
        state = commit(connection, path, state, batch);
        built += batch;
      }
    }
    double buildSeconds = (System.nanoTime() - started) / 1e9;
    String etag;
    int snapshots;
    try (HttpConnection connection = rest.connect()) {
      HttpConnection.Response full = connection.get(path + "?snapshots=all", true);
      requireOk(full, "load big table");
      etag = full.etag();
      snapshots = Json.array(Json.at(full.json(), "metadata", "snapshots")).size();
    }
    Map<String, Object> table = new LinkedHashMap<>();
    table.put("snapshots", snapshots);
    table.put("buildSeconds", Measurement.round(buildSeconds));
    for (String mode : List.of("all", "refs")) {
      Measurement measurement =
          requests(
              "bigTable snapshots=" + mode,
              settings.bigConcurrency(),
              window(),
              inTurn(List.of(path + "?snapshots=" + mode)));
      measurement.extra().putAll(table);
      results.accept(measurement);
    }
    // A catalog without tags gets a tag it never issued and answers in full, as clients would see.
    String tag = etag == null ? "\"none\"" : etag;
    byte[] conditionalLoad = rest.target().request("GET", path + "?snapshots=all", tag, null);
    AtomicLong notModified = new AtomicLong();
    Measurement conditional =
        requests(
            "bigTable If-None-Match",
            settings.bigConcurrency(),
            window(),
            new RequestLoop.Requests() {
              @Override
              public byte[] next(int worker) {
                return conditionalLoad;
              }

              @Override
              public void answered(int status) {
                if (status == 304) {
                  notModified.incrementAndGet();
                }
              }
            });
    conditional.extra().putAll(table);
    conditional.extra().put("etag", etag != null);
    conditional.extra().put("notModified", notModified.get());
    results.accept(conditional);
  }

  /**
   * createTable, sequential then concurrent, into the namespace the listing workload reads: the
   * concurrent phase fills it up to {@code listTables}.
   */
  void createTable() throws Exception {
    AtomicInteger names = new AtomicInteger();
    try (HttpConnection connection = rest.connect()) {
      for (int i = 0; i < settings.createWarmup(); i++) {
        createListTable(connection, names);
      }
    }
    int sequential = Math.min(settings.createSequentialMax(), settings.listTables() - names.get());
    results.accept(
        loop.run(
            "createTable sequential",
            1,
            new ClosedLoop.Window(Duration.ZERO, settings.measure(), sequential),
            (worker, resources) -> {
              HttpConnection connection = open(resources);
              return () -> createListTable(connection, names);
            }));
    int remaining = settings.listTables() - names.get();
    if (remaining > 0) {
      results.accept(
          loop.run(
              "createTable c=" + CREATE_CONCURRENCY,
              CREATE_CONCURRENCY,
              new ClosedLoop.Window(Duration.ZERO, settings.createFillWindow(), remaining),
              (worker, resources) -> {
                HttpConnection connection = open(resources);
                return () -> createListTable(connection, names);
              }));
    }
  }

  private int createListTable(HttpConnection connection, AtomicInteger names) throws IOException {
    String name = "t%05d".formatted(names.getAndIncrement());
    int status =
        connection
            .post(rest.tables(listNamespace), IcebergRest.createTableBody(name), false)
            .status();
    if (status == 200) {
      listTablesCreated.incrementAndGet();
    }
    return status;
  }

  /**
   * Append commits guarded by {@code assert-ref-snapshot-id}: one client per table, then every
   * client on one table. A 409 makes the client reload and retry, as Iceberg's writers do; every
   * acknowledged snapshot must then be on the table's main chain, and no two on one parent.
   */
  void commits() throws Exception {
    int clients = settings.commitClients();
    List<String> distinct = createTables("c", clients);
    String hot = createTables("hot", 1).get(0);
    // A commit runs far more code than a load, far less often: the server's JIT compiler took a
    // third of its CPU in cold windows and settled after about a minute of commits. Warm it up on
    // tables of its own, both ways, so that the windows measure the catalog rather than the JIT.
    List<String> warmDistinct = createTables("w", clients);
    String warmHot = createTables("whot", 1).get(0);
    for (List<String> tableOfWorker :
        List.of(warmDistinct, Collections.nCopies(clients, warmHot))) {
      loop.run(
          "commit JIT warm-up",
          clients,
          new ClosedLoop.Window(settings.commitJitWarmup(), Duration.ZERO, Long.MAX_VALUE),
          committers(
              tableOfWorker, new ConcurrentHashMap<>(), new AtomicLong(), new AtomicLong()));
    }
    commitLoop("commit distinct tables c=" + clients, distinct);
    commitLoop("commit one table c=" + clients, Collections.nCopies(clients, hot));
  }

  /** Creates tables {@code prefix0}, {@code prefix1}… in the load namespace; returns paths. */
  private List<String> createTables(String prefix, int count) throws Exception {
    List<String> names = IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
    inParallel(count, (connection, i) -> rest.createTable(connection, loadNamespace, names.get(i)));
    return names.stream().map(name -> rest.table(loadNamespace, name)).toList();
  }

  private void commitLoop(String name, List<String> tableOfWorker) throws Exception {
    Map<String, Map<Long, Long>> acknowledged = new ConcurrentHashMap<>();
    AtomicLong attempts = new AtomicLong();
    AtomicLong conflicts = new AtomicLong();
    Measurement measurement =
        loop.run(
            name,
            tableOfWorker.size(),
            window(),
            committers(tableOfWorker, acknowledged, attempts, conflicts));
    Map<String, Object> extra = measurement.extra();
    extra.put("acknowledged", acknowledged.values().stream().mapToInt(Map::size).sum());
    extra.put("attempts", attempts.get());
    extra.put("conflicts", conflicts.get());
    extra.put(
        "conflictRatio",
        Measurement.round(attempts.get() == 0 ? 0 : (double) conflicts.get() / attempts.get()));
    long lost = 0;
    long forks = 0;
    long retained = 0;
    try (HttpConnection connection = rest.connect()) {
      for (Map.Entry<String, Map<Long, Long>> table : acknowledged.entrySet()) {
        ChainCheck check =
            ChainCheck.of(
                connection.get(table.getKey() + "?snapshots=all", true), table.getValue());
        lost += check.lost();
        forks += check.forks();
        retained += check.retained();
      }
    }
    extra.put("lost", lost);
    extra.put("forks", forks);
    extra.put("snapshotsRetained", retained);
    results.accept(measurement);
  }

  /** Worker {@code i} commits to {@code tableOfWorker.get(i)}, noting each acknowledged commit. */
  private ClosedLoop.Workers committers(
      List<String> tableOfWorker,
      Map<String, Map<Long, Long>> acknowledged,
      AtomicLong attempts,
      AtomicLong conflicts) {
    for (String table : tableOfWorker) {
      acknowledged.computeIfAbsent(table, any -> new ConcurrentHashMap<>());
    }
    return (worker, resources) -> {
      HttpConnection connection = open(resources);
      String table = tableOfWorker.get(worker);
      Committer committer =
          new Committer(connection, table, acknowledged.get(table), attempts, conflicts);
      return committer::commit;
    };
  }

  /** One writer: appends a snapshot; on a conflict reloads the table and tries again. */
  private final class Committer {
    private final HttpConnection connection;
    private final String path;
    private final Map<Long, Long> acknowledged;
    private final AtomicLong attempts;
    private final AtomicLong conflicts;
    private IcebergRest.TableState state;

    /**
     * @param acknowledged each committed snapshot's parent ({@link ChainCheck#NO_PARENT} for none)
     */
    Committer(
        HttpConnection connection,
        String path,
        Map<Long, Long> acknowledged,
        AtomicLong attempts,
        AtomicLong conflicts) {
      this.connection = connection;
      this.path = path;
      this.acknowledged = acknowledged;
      this.attempts = attempts;
      this.conflicts = conflicts;
    }

    int commit() throws IOException {
      int status = 0;
      for (int attempt = 0; attempt < MAX_COMMIT_ATTEMPTS; attempt++) {
        if (state == null) {
          HttpConnection.Response current = connection.get(path + "?snapshots=refs", true);
          requireOk(current, "reload " + path);
          state = IcebergRest.TableState.of(current);
        }
        long id = IcebergRest.newSnapshotId();
        attempts.incrementAndGet();
        status =
            connection.post(path, IcebergRest.appendCommit(state, List.of(id)), false).status();
        if (status == 200) {
          acknowledged.put(id, state.main() == null ? ChainCheck.NO_PARENT : state.main());
          state = state.after(id, 1);
          return status;
        }
        // Any other answer leaves the table's state unknown here: read it again.
        state = null;
        if (status != 409) {
          return status;
        }
        conflicts.incrementAndGet();
      }
      return status;
    }
  }

  /**
   * The table's main chain against the snapshots its writers were told were committed. The chain is
   * walked through the parents the table reports and, for catalogs that keep only the current
   * snapshot (Nessie), through the parents the writers committed against. Lost: acknowledged but
   * not on the chain. Forks: acknowledged commits beyond the first on one parent (a lost update),
   * plus snapshots the table keeps off its main chain.
   */
  record ChainCheck(long lost, long forks, long retained) {
    /** Snapshot ids are positive, so zero stands for "no parent" where null cannot. */
    static final long NO_PARENT = 0;

    static ChainCheck of(HttpConnection.Response table, Map<Long, Long> acknowledged) {
      requireOk(table, "load table for verification");
      Object metadata = Json.at(table.json(), "metadata");
      Map<Long, Long> parents = new HashMap<>(acknowledged);
      Set<Long> retained = new HashSet<>();
      for (Object snapshot : Json.array(Json.at(metadata, "snapshots"))) {
        long id = ((Number) Json.at(snapshot, "snapshot-id")).longValue();
        Object parent = Json.at(snapshot, "parent-snapshot-id");
        retained.add(id);
        // Nessie leaves the parent out of the one snapshot it keeps; the writer's knowledge stands.
        if (parent != null) {
          parents.put(id, ((Number) parent).longValue());
        }
      }
      Set<Long> chain = new HashSet<>();
      Object main = Json.at(metadata, "refs", "main", "snapshot-id");
      for (Long id = main == null ? null : ((Number) main).longValue();
          id != null && id != NO_PARENT && chain.add(id); ) {
        id = parents.get(id);
      }
      long lost = acknowledged.keySet().stream().filter(id -> !chain.contains(id)).count();
      long siblings = acknowledged.size() - new HashSet<>(acknowledged.values()).size();
      long offChain = retained.stream().filter(id -> !chain.contains(id)).count();
      return new ChainCheck(lost, siblings + offChain, retained.size());
    }
  }

  /** listTables of the filled namespace: unpaged, and walked page by page. */
  void listTables() throws Exception {
    String path = rest.tables(listNamespace);
    int expected = listTablesCreated.get();
    int unpaged;
    List<String> pages = new ArrayList<>();
    Set<Object> pagedNames = new HashSet<>();
    try (HttpConnection connection = rest.connect()) {
      HttpConnection.Response all = connection.get(path, true);
      requireOk(all, "list tables");
      unpaged = Json.array(Json.at(all.json(), "identifiers")).size();
      String token = "";
      do {
        String page =
            path + "?pageToken=" + IcebergRest.encode(token) + "&pageSize=" + settings.pageSize();
        pages.add(page);
        HttpConnection.Response response = connection.get(page, true);
        requireOk(response, "list a page of tables");
        Object json = response.json();
        pagedNames.addAll(Json.array(Json.at(json, "identifiers")));
        token = (String) Json.at(json, "next-page-token");
      } while (token != null && !token.isEmpty() && pages.size() <= expected);
    }
    Measurement whole = requests("listTables unpaged", 1, window(), inTurn(List.of(path)));
    whole.extra().put("tables", expected);
    whole.extra().put("listed", unpaged);
    results.accept(whole);
    Measurement paged =
        requests("listTables page of " + settings.pageSize(), 1, window(), inTurn(pages));
    paged.extra().put("tables", expected);
    paged.extra().put("listed", pagedNames.size());
    paged.extra().put("pages", pages.size());
    results.accept(paged);
  }

  /** Appends {@code count} snapshots in one commit and returns the table's state after it. */
  private static IcebergRest.TableState commit(
      HttpConnection connection, String path, IcebergRest.TableState state, int count)
      throws IOException {
    List<Long> ids = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ids.add(IcebergRest.newSnapshotId());
    }
    HttpConnection.Response response =
        connection.post(path, IcebergRest.appendCommit(state, ids), false);
    requireOk(response, "commit " + count + " snapshots to " + path);
    return state.after(ids.get(count - 1), count);
  }

  private HttpConnection open(List<AutoCloseable> resources) {
    HttpConnection connection = rest.connect();
    resources.add(connection);
    return connection;
  }

  static void requireOk(HttpConnection.Response response, String what) {
    if (!response.ok()) {
      throw new IllegalStateException(what + " answered " + response);
    }
  }

  /** Setup work spread over a few connections. */
  private interface SetupStep {
    void run(HttpConnection connection, int index) throws Exception;
  }

  private void inParallel(int count, SetupStep step) throws Exception {
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(SETUP_CONNECTIONS);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < SETUP_CONNECTIONS; t++) {
        futures.add(
            pool.submit(
                () -> {
                  try (HttpConnection connection = rest.connect()) {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                      step.run(connection, i);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
