package io.bingsan.service.fakes;

import io.bingsan.domain.change.ObjectKind;
import io.bingsan.ports.out.CatalogObjectStore;
import io.bingsan.ports.out.MetricsReportStore;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;

/** Reports in a list; refuses reports for tables the catalog does not have, as the port says. */
public final class InMemoryMetricsReportStore implements MetricsReportStore {

  public record Report(String warehouse, TableIdentifier table, String type, String json) {}

  private final CatalogObjectStore objects;
  private final List<Report> reports = new ArrayList<>();

  public InMemoryMetricsReportStore(CatalogObjectStore objects) {
    this.objects = objects;
  }

  @Override
  public synchronized void save(
      String warehouse, TableIdentifier table, String reportType, String reportJson) {
    if (objects.metadataLocation(warehouse, ObjectKind.TABLE, table).isEmpty()) {
      throw new NoSuchTableException("Table does not exist: %s", table);
    }
    reports.add(new Report(warehouse, table, reportType, reportJson));
  }

  public synchronized List<Report> reports() {
    return List.copyOf(reports);
  }
}
