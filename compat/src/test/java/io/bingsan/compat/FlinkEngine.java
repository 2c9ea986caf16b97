package io.bingsan.compat;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

/**
 * A Flink 2.1 batch table environment with Bingsan registered as Iceberg's docs show ({@code CREATE
 * CATALOG … 'catalog-type' = 'rest'}) and in use. Jobs go to one mini cluster on loopback that
 * lives as long as this engine; Flink's local executor would start a cluster per job.
 */
final class FlinkEngine implements SqlEngine {
  static final String CATALOG = "bingsan";

  private final MiniCluster cluster;
  private final TableEnvironment tables;

  private FlinkEngine(MiniCluster cluster, TableEnvironment tables) {
    this.cluster = cluster;
    this.tables = tables;
  }

  static FlinkEngine connect(String uri, String warehouse) throws Exception {
    Configuration clusterConfig = new Configuration();
    clusterConfig.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    clusterConfig.set(RestOptions.PORT, 0);
    MiniCluster cluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(clusterConfig)
                .setCommonBindAddress("127.0.0.1")
                .setNumSlotsPerTaskManager(2)
                .build());
    cluster.start();
    URI rest = cluster.getRestAddress().get();

    Configuration tableConfig = new Configuration();
    tableConfig.set(DeploymentOptions.TARGET, "remote");
    tableConfig.set(RestOptions.ADDRESS, rest.getHost());
    tableConfig.set(RestOptions.PORT, rest.getPort());
    TableEnvironment tables =
        TableEnvironment.create(
            EnvironmentSettings.newInstance().inBatchMode().withConfiguration(tableConfig).build());
    tables.getConfig().set("parallelism.default", "1");
    tables.getConfig().set("table.local-time-zone", "UTC");
    tables.executeSql(
        """
        CREATE CATALOG %s WITH (
          'type' = 'iceberg', 'catalog-type' = 'rest', 'uri' = '%s', 'warehouse' = '%s')
        """
            .formatted(CATALOG, uri, warehouse));
    tables.useCatalog(CATALOG);
    return new FlinkEngine(cluster, tables);
  }

  /** Runs statements in order and waits for each, as a SQL client does. */
  @Override
  public void sql(String... statements) throws Exception {
    for (String statement : statements) {
      tables.executeSql(statement).await();
    }
  }

  /** The rows a query returns, each as a list of plain Java values (arrays as lists). */
  @Override
  public List<List<Object>> rows(String query) throws Exception {
    TableResult result = tables.executeSql(query);
    List<List<Object>> rows = new ArrayList<>();
    try (CloseableIterator<Row> iterator = result.collect()) {
      while (iterator.hasNext()) {
        Row row = iterator.next();
        List<Object> values = new ArrayList<>(row.getArity());
        for (int i = 0; i < row.getArity(); i++) {
          Object value = row.getField(i);
          values.add(value instanceof Object[] array ? Arrays.asList(array) : value);
        }
        rows.add(values);
      }
    }
    return rows;
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }
}
