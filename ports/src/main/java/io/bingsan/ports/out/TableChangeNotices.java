package io.bingsan.ports.out;

import java.util.List;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Tells this node of the table changes other nodes make, so that it may answer a load from a
 * pointer it read earlier instead of reading it again.
 *
 * <p>A store that offers it acknowledges no table change (its {@link CatalogChangeLog#apply}
 * does not return) until every other node whose notices are {@link #current()} was told of it, or
 * has stopped being current. So while this node is current, a pointer it read is still the table's
 * pointer unless its subscriber has since been told that the table changed.
 */
public interface TableChangeNotices {

  /** Notices that never hold: a node that has them reads every pointer it serves. */
  TableChangeNotices NONE =
      new TableChangeNotices() {
        @Override
        public void subscribe(Subscriber subscriber) {}

        @Override
        public boolean current() {
          return false;
        }
      };

  /** Hears of changes on one thread, in the order they were committed. */
  interface Subscriber {
    /** Other nodes changed these tables of {@code warehouse}: created, moved, renamed or dropped. */
    void changed(String warehouse, List<TableIdentifier> tables);

    /** Changes may have gone untold: nothing this node read before can be trusted any more. */
    void missed();
  }

  /** Sets the one subscriber; changes before this call are not told. */
  void subscribe(Subscriber subscriber);

  /**
   * Whether, as of this call, every change another node has acknowledged was told to the
   * subscriber: by its tables, or among changes the subscriber heard it {@link Subscriber#missed}.
   */
  boolean current();
}
