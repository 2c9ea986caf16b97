package io.bingsan.service.fakes;

import io.bingsan.ports.out.CatalogChangeLog;
import io.bingsan.ports.out.TableChangeNotices;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Nodes of one in-memory catalog telling each other of their table changes as a store with {@link
 * TableChangeNotices} does: every other node hears of a change before it is acknowledged.
 */
public final class InMemoryNoticeBoard {
  private final List<Node> nodes = new CopyOnWriteArrayList<>();

  /** One node's notices; current until {@link #goQuiet()}. */
  public final class Node implements TableChangeNotices {
    private volatile Subscriber subscriber;
    private volatile boolean current = true;

    private Node() {}

    @Override
    public void subscribe(Subscriber subscriber) {
      this.subscriber = subscriber;
    }

    @Override
    public boolean current() {
      return current;
    }

    /** Tells this node of another node's change, as the board does after each apply. */
    public void tell(String warehouse, List<TableIdentifier> tables) {
      subscriber.changed(warehouse, tables);
    }

    /** As a node whose lease ran out: it hears nothing and must read every pointer. */
    public void goQuiet() {
      current = false;
    }

    /** As a node back with a new lease: it may have missed changes meanwhile. */
    public void comeBack() {
      subscriber.missed();
      current = true;
    }

    /** {@code store}'s changes, each told to the other current nodes before it returns. */
    public CatalogChangeLog changeLog(CatalogChangeLog store) {
      return (warehouse, changes) -> {
        try {
          store.apply(warehouse, changes);
        } finally {
          // Told whatever the outcome: a change whose outcome is unknown may have landed.
          List<TableIdentifier> tables =
              changes.stream().flatMap(change -> change.tables().stream()).toList();
          for (Node other : nodes) {
            if (other != this && other.current && !tables.isEmpty()) {
              other.tell(warehouse, tables);
            }
          }
        }
      };
    }
  }

  public Node join() {
    Node node = new Node();
    nodes.add(node);
    return node;
  }
}
