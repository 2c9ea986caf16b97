package io.bingsan.ports.out;

import org.apache.iceberg.catalog.TableIdentifier;

/** Keeps the scan and commit reports that clients post after their work. */
public interface MetricsReportStore {

  /**
   * @param reportType the report's kind, e.g. {@code scan-report}
   * @param reportJson the report as the client sent it
   * @throws org.apache.iceberg.exceptions.NoSuchTableException when the table does not exist
   */
  void save(String warehouse, TableIdentifier table, String reportType, String reportJson);
}
