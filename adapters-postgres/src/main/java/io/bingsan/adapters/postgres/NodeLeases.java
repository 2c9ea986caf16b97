package io.bingsan.adapters.postgres;

import static java.util.Objects.requireNonNull;

import io.bingsan.ports.out.TableChangeNotices;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's lease in {@code catalog_nodes}, and the notices of table changes between nodes, over
 * PostgreSQL's LISTEN and NOTIFY.
 *
 * <ul>
 *   <li>A transaction that changes tables sends one notice on {@value #TABLES_CHANNEL}: its node,
 *       a ticket, the warehouse and the tables. Once it has committed, its node reads which other
 *       nodes hold a lease and waits until each has answered the ticket, or its lease has ended.
 *   <li>Each node listens on a connection of its own. It tells its subscriber of the other nodes'
 *       notices and answers each on the sender's channel. On the same connection it renews its
 *       lease, in a statement that also sends a notice to itself.
 *   <li>PostgreSQL queues the notices of committed transactions in commit order. So once the
 *       renewal's own notice arrives, every change committed before the renewal has been told, and
 *       the node is current until the renewed lease ends, counted from before it was sent. A node
 *       that read a lease ending earlier waits out that end at most. A lost connection tells the
 *       subscriber that changes were missed.
 * </ul>
 */
public final class NodeLeases implements TableChangeNotices, AutoCloseable {
  static final String TABLES_CHANNEL = "bingsan_tables";
  private static final String NODE_CHANNEL_PREFIX = "bingsan_node_";

  /** PostgreSQL's bound is 8000 bytes; a notice of more tables says that all changed. */
  private static final int MAX_NOTICE_BYTES = 7_900;

  /** Answers of one statement, each ticket up to 20 digits. */
  private static final int TICKETS_PER_ANSWER = 300;

  private static final String NOTIFY = "SELECT pg_notify(?, ?)";
  private static final String LEASE_SYNC = "lease ";
  private static final String ANSWER = "answer ";

  private static final String RENEW =
      """
      WITH lease AS (
        INSERT INTO catalog_nodes (node_id, lease_expires_at)
        VALUES (?, now() + ? * interval '1 millisecond')
        ON CONFLICT (node_id) DO UPDATE SET lease_expires_at = EXCLUDED.lease_expires_at
        RETURNING 1)
      SELECT pg_notify(?, ?) FROM lease
      """;

  private static final String PEERS =
      """
      SELECT node_id,
        ceil(extract(epoch FROM lease_expires_at - clock_timestamp()) * 1000)::bigint AS millis_left
      FROM catalog_nodes WHERE lease_expires_at > clock_timestamp() AND node_id <> ?
      """;

  private static final Logger LOG = LoggerFactory.getLogger(NodeLeases.class);

  /** Opens a connection of the listener's own, outside any pool: it stays open for good. */
  @FunctionalInterface
  public interface ConnectionSource {
    Connection open() throws SQLException;
  }

  private final ConnectionSource listenerConnections;
  private final DataSource pool;
  private final long leaseNanos;
  private final long renewEveryNanos;
  private final long marginNanos;
  private final UUID node = UUID.randomUUID();
  private final String nodeChannel = channelOf(node);
  private final AtomicLong tickets = new AtomicLong();
  private final Map<Long, Answers> awaited = new ConcurrentHashMap<>();
  private final Thread listener;

  private volatile Subscriber subscriber;
  private volatile long currentUntilNanos = System.nanoTime();
  private volatile boolean closed;
  // The listener's own:
  private long renewals;
  private boolean lossLogged;

  /**
   * @param listenerConnections where the listener's connection comes from
   * @param pool where the reads of other nodes' leases run
   * @param lease how long a renewed lease holds; it is renewed four times as often
   */
  public NodeLeases(ConnectionSource listenerConnections, DataSource pool, Duration lease) {
    this.listenerConnections = requireNonNull(listenerConnections, "listenerConnections is null");
    this.pool = requireNonNull(pool, "pool is null");
    this.leaseNanos = lease.toNanos();
    if (leaseNanos < TimeUnit.MILLISECONDS.toNanos(100)) {
      throw new IllegalArgumentException("A lease must hold at least 100 ms: " + lease);
    }
    this.renewEveryNanos = leaseNanos / 4;
    // Covers clock rates that differ between this node and the database.
    this.marginNanos = leaseNanos / 20;
    this.listener = Thread.ofPlatform().name("node-lease").daemon().unstarted(this::listen);
  }

  /** Starts listening and taking the lease; this node is current from its first renewal on. */
  public void start() {
    listener.start();
  }

  @Override
  public void subscribe(Subscriber subscriber) {
    this.subscriber = requireNonNull(subscriber, "subscriber is null");
  }

  @Override
  public boolean current() {
    return System.nanoTime() - currentUntilNanos < 0;
  }

  /** Stops serving from what this node read, stops listening and gives up the lease. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      currentUntilNanos = System.nanoTime();
    }
    listener.interrupt();
    try {
      listener.join(TimeUnit.NANOSECONDS.toMillis(renewEveryNanos) + 1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      Database.execute(
          pool,
          "DELETE FROM catalog_nodes WHERE node_id = ?",
          statement -> statement.setObject(1, node));
    } catch (RuntimeException e) {
      LOG.warn("Could not give up this node's lease; it ends by itself", e);
    }
  }

  // ---- sending: the committing side

  /** A change's notice, from before its transaction until every other current node answered it. */
  final class Announcement implements AutoCloseable {
    private final long ticket = tickets.incrementAndGet();
    private final Answers answers = new Answers();
    private final String warehouse;
    private final List<TableIdentifier> tables;

    private Announcement(String warehouse, List<TableIdentifier> tables) {
      this.warehouse = warehouse;
      this.tables = tables;
      awaited.put(ticket, answers);
    }

    /** The notice's statement, to run in the change's transaction: it is sent on commit. */
    void send(Handle handle) {
      Database.execute(
          handle,
          NOTIFY,
          statement -> {
            statement.setString(1, TABLES_CHANNEL);
            statement.setString(2, notice(node, ticket, warehouse, tables));
          });
    }

    /** After the commit: waits until each other node answered, or its lease ended. */
    void awaitPeers() {
      Map<UUID, Long> deadlines;
      try {
        deadlines = peerDeadlines();
      } catch (RuntimeException e) {
        LOG.warn("Could not read the other nodes' leases; waiting out the longest", e);
        sleepUninterruptibly(leaseNanos + marginNanos);
        return;
      }
      answers.await(deadlines);
    }

    /** After an unknown outcome: the change may have landed unanswered; outlive every lease. */
    void awaitLeasesOut() {
      sleepUninterruptibly(leaseNanos + marginNanos);
    }

    @Override
    public void close() {
      awaited.remove(ticket);
    }
  }

  /** Opens the notice of a change to {@code tables}; close it once the change is acknowledged. */
  Announcement announce(String warehouse, List<TableIdentifier> tables) {
    return new Announcement(warehouse, tables);
  }

  /** Each other node holding a lease, and when on this node's clock its lease will have ended. */
  private Map<UUID, Long> peerDeadlines() {
    Map<UUID, Long> deadlines =
        Database.query(
            pool,
            PEERS,
            statement -> statement.setObject(1, node),
            result -> {
              Map<UUID, Long> millisLeft = new HashMap<>();
              while (result.next()) {
                millisLeft.put(result.getObject(1, UUID.class), result.getLong(2));
              }
              return millisLeft;
            });
    long read = System.nanoTime();
    deadlines.replaceAll(
        (peer, millisLeft) -> read + TimeUnit.MILLISECONDS.toNanos(millisLeft) + marginNanos);
    return deadlines;
  }

  /** The nodes that answered one ticket. */
  private static final class Answers {
    private final Set<UUID> answered = new HashSet<>();

    synchronized void answer(UUID peer) {
      answered.add(peer);
      notifyAll();
    }

    synchronized void await(Map<UUID, Long> deadlines) {
      boolean interrupted = false;
      while (true) {
        long now = System.nanoTime();
        long wait = Long.MAX_VALUE;
        for (Map.Entry<UUID, Long> peer : deadlines.entrySet()) {
          long left = peer.getValue() - now;
          if (left > 0 && !answered.contains(peer.getKey())) {
            wait = Math.min(wait, left);
          }
        }
        if (wait == Long.MAX_VALUE) {
          break;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(this, wait);
        } catch (InterruptedException e) {
          // The change is committed: it must not be acknowledged before the peers know.
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  // ---- listening: the receiving side

  private void listen() {
    while (!closed) {
      try (Connection connection = listenerConnections.open()) {
        listenOn(connection);
      } catch (SQLException | RuntimeException e) {
        if (closed) {
          break;
        }
        if (!lossLogged) {
          LOG.warn("Lost the node lease's connection; every load reads its pointer until back", e);
          lossLogged = true;
        }
      }
      holdUntil(System.nanoTime());
      try {
        TimeUnit.NANOSECONDS.sleep(renewEveryNanos);
      } catch (InterruptedException e) {
        // Closing.
      }
    }
  }

  private void listenOn(Connection connection) throws SQLException {
    connection.setAutoCommit(true);
    // A dead connection fails a read within two renewals instead of hanging the listener.
    connection.setNetworkTimeout(
        Runnable::run, (int) TimeUnit.NANOSECONDS.toMillis(2 * leaseNanos));
    PGConnection notices = connection.unwrap(PGConnection.class);
    try (Statement statement = connection.createStatement()) {
      // Names the connection in pg_stat_activity for operators.
      statement.execute("SET application_name = '" + applicationName() + "'");
      statement.execute("LISTEN " + TABLES_CHANNEL);
      statement.execute("LISTEN " + nodeChannel);
      statement.execute(
          "DELETE FROM catalog_nodes WHERE lease_expires_at < now() - interval '1 day'");
    }
    // Changes committed before LISTEN went untold.
    subscriberOrNone().missed();
    lossLogged = false;
    Renewal pending = null;
    long nextRenewal = System.nanoTime();
    while (!closed) {
      long now = System.nanoTime();
      if (pending == null && now - nextRenewal >= 0) {
        pending = renew(connection);
        nextRenewal = pending.sentNanos() + renewEveryNanos;
      } else if (pending != null && now - pending.sentNanos() > leaseNanos) {
        throw new SQLException("The lease's renewal did not come back within the lease");
      }
      long waitMillis =
          Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextRenewal - System.nanoTime()));
      PGNotification[] received = notices.getNotifications((int) Math.min(waitMillis, 1_000));
      if (received != null && received.length > 0 && handle(connection, received, pending)) {
        pending = null;
      }
    }
  }

  /** Sets when this node stops being current, unless it is closing: then it already has. */
  private synchronized void holdUntil(long nanos) {
    if (!closed) {
      currentUntilNanos = nanos;
    }
  }

  /** A renewal sent at {@code sentNanos}, whose own notice carries {@code serial}. */
  private record Renewal(long sentNanos, long serial) {}

  private Renewal renew(Connection connection) throws SQLException {
    Renewal renewal = new Renewal(System.nanoTime(), ++renewals);
    try (PreparedStatement statement = connection.prepareStatement(RENEW)) {
      statement.setObject(1, node);
      statement.setLong(2, TimeUnit.NANOSECONDS.toMillis(leaseNanos));
      statement.setString(3, nodeChannel);
      statement.setString(4, LEASE_SYNC + renewal.serial());
      statement.executeQuery().close();
    }
    return renewal;
  }

  /**
   * Tells the subscriber of other nodes' notices in the order they came, answers them, and records
   * answers to this node's tickets.
   *
   * @return whether {@code pending}'s own notice came, and the node is current again
   */
  private boolean handle(Connection connection, PGNotification[] received, Renewal pending)
      throws SQLException {
    boolean renewed = false;
    Map<String, List<Long>> toAnswer = new LinkedHashMap<>();
    for (PGNotification notification : received) {
      String payload = notification.getParameter();
      if (notification.getName().equals(TABLES_CHANNEL)) {
        Notice notice = Notice.parse(payload);
        if (notice.node().equals(node)) {
          continue;
        }
        if (notice.tables() == null) {
          subscriberOrNone().missed();
        } else {
          subscriberOrNone().changed(notice.warehouse(), notice.tables());
        }
        toAnswer.computeIfAbsent(channelOf(notice.node()), peer -> new ArrayList<>())
            .add(notice.ticket());
      } else if (payload.startsWith(LEASE_SYNC)) {
        if (pending != null
            && Long.parseLong(payload.substring(LEASE_SYNC.length())) == pending.serial()) {
          holdUntil(pending.sentNanos() + leaseNanos - marginNanos);
          renewed = true;
        }
      } else if (payload.startsWith(ANSWER)) {
        recordAnswer(payload.substring(ANSWER.length()));
      }
    }
    for (Map.Entry<String, List<Long>> peer : toAnswer.entrySet()) {
      answer(connection, peer.getKey(), peer.getValue());
    }
    return renewed;
  }

  private void answer(Connection connection, String peerChannel, List<Long> peerTickets)
      throws SQLException {
    for (int from = 0; from < peerTickets.size(); from += TICKETS_PER_ANSWER) {
      StringBuilder payload = new StringBuilder(ANSWER).append(node);
      for (long ticket :
          peerTickets.subList(from, Math.min(peerTickets.size(), from + TICKETS_PER_ANSWER))) {
        payload.append(' ').append(ticket);
      }
      try (PreparedStatement statement = connection.prepareStatement(NOTIFY)) {
        statement.setString(1, peerChannel);
        statement.setString(2, payload.toString());
        statement.executeQuery().close();
      }
    }
  }

  /** "{peer} {ticket} {ticket}...": the peer has told its subscriber of those tickets. */
  private void recordAnswer(String answer) {
    String[] parts = answer.split(" ");
    UUID peer = UUID.fromString(parts[0]);
    for (String ticket : Arrays.asList(parts).subList(1, parts.length)) {
      Answers answers = awaited.get(Long.parseLong(ticket));
      if (answers != null) {
        answers.answer(peer);
      }
    }
  }

  private Subscriber subscriberOrNone() {
    Subscriber current = subscriber;
    return current != null ? current : NO_SUBSCRIBER;
  }

  private static final Subscriber NO_SUBSCRIBER =
      new Subscriber() {
        @Override
        public void changed(String warehouse, List<TableIdentifier> tables) {}

        @Override
        public void missed() {}
      };

  // ---- the notice's form

  /** One transaction's table changes; {@code tables} null for too many to name. */
  record Notice(UUID node, long ticket, String warehouse, List<TableIdentifier> tables) {

    /** Each table as its namespace's levels followed by its name. */
    record Form(UUID node, long ticket, String warehouse, List<List<String>> tables) {}

    static Notice parse(String payload) {
      Form form = Json.read(payload, Form.class);
      List<TableIdentifier> tables =
          form.tables() == null
              ? null
              : form.tables().stream()
                  .map(
                      levels ->
                          TableIdentifier.of(
                              Namespace.of(
                                  levels.subList(0, levels.size() - 1).toArray(String[]::new)),
                              levels.getLast()))
                  .toList();
      return new Notice(form.node(), form.ticket(), form.warehouse(), tables);
    }
  }

  static String notice(UUID node, long ticket, String warehouse, List<TableIdentifier> tables) {
    List<List<String>> named =
        tables.stream()
            .map(
                table -> {
                  List<String> levels = new ArrayList<>(Arrays.asList(table.namespace().levels()));
                  levels.add(table.name());
                  return levels;
                })
            .toList();
    String payload = Json.write(new Notice.Form(node, ticket, warehouse, named));
    if (payload.getBytes(StandardCharsets.UTF_8).length <= MAX_NOTICE_BYTES) {
      return payload;
    }
    return Json.write(new Notice.Form(node, ticket, warehouse, null));
  }

  /** The listener connection's name in {@code pg_stat_activity}. */
  String applicationName() {
    return "bingsan-node-" + node;
  }

  private static String channelOf(UUID node) {
    return NODE_CHANNEL_PREFIX + node.toString().replace("-", "");
  }

  private static void sleepUninterruptibly(long nanos) {
    long until = System.nanoTime() + nanos;
    boolean interrupted = false;
    for (long left = nanos; left > 0; left = until - System.nanoTime()) {
      try {
        TimeUnit.NANOSECONDS.sleep(left);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
