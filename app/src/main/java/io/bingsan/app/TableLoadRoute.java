package io.bingsan.app;

import static java.util.Objects.requireNonNull;

import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import io.bingsan.adapters.rest.IcebergRestApi;
import java.util.Map;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * Puts the API's loadTable handler in the application context's place among the server's handlers
 * as the server starts: Dropwizard builds them only then, and they stay fixed once started. The
 * request metrics keep their names: Dropwizard's metering handler, the context's parent, names
 * them after the class of the handler it wraps, and dashboards know them by the context's.
 */
final class TableLoadRoute implements LifeCycle.Listener {
  private final IcebergRestApi api;
  private final ContextHandler context;
  private final MetricRegistry metrics;

  TableLoadRoute(IcebergRestApi api, ContextHandler context, MetricRegistry metrics) {
    this.api = requireNonNull(api, "api is null");
    this.context = requireNonNull(context, "context is null");
    this.metrics = requireNonNull(metrics, "metrics is null");
  }

  @Override
  public void lifeCycleStarting(LifeCycle starting) {
    // Only the server's start finds the handlers built.
    if (!(starting instanceof Server server)) {
      return;
    }
    for (Handler.Wrapper parent : server.getDescendants(Handler.Wrapper.class)) {
      if (parent.getHandler() == context) {
        Handler loads = api.tableLoads(context);
        parent.setHandler(loads);
        // The parent names its metrics as it starts, before the connectors open.
        parent.addEventListener(
            new LifeCycle.Listener() {
              @Override
              public void lifeCycleStarted(LifeCycle started) {
                rename(
                    MetricRegistry.name(loads.getClass()), MetricRegistry.name(context.getClass()));
              }
            });
        return;
      }
    }
    throw new IllegalStateException("The application context is not among the server's handlers");
  }

  private void rename(String fromPrefix, String toPrefix) {
    for (Map.Entry<String, Metric> metric : Map.copyOf(metrics.getMetrics()).entrySet()) {
      String name = metric.getKey();
      if (name.startsWith(fromPrefix + ".")) {
        metrics.remove(name);
        metrics.register(toPrefix + name.substring(fromPrefix.length()), metric.getValue());
      }
    }
  }
}
