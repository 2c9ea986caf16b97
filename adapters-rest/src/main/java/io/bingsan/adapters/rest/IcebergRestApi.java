package io.bingsan.adapters.rest;

import static java.util.Objects.requireNonNull;

import io.bingsan.ports.out.IdempotencyStore;
import io.bingsan.service.CatalogServices;
import io.bingsan.service.Warehouses;
import jakarta.servlet.Filter;
import java.time.Clock;
import java.util.List;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/**
 * The Iceberg REST API, ready to register on Jersey. The app builds one and calls {@link
 * #registerWith} on its {@code ResourceConfig} (in Dropwizard, {@code environment.jersey()
 * .getResourceConfig()}).
 *
 * <p>What the host must also do:
 *
 * <ul>
 *   <li>switch off every other exception mapper (Dropwizard: {@code
 *       server.registerDefaultExceptionMappers: false}); {@link IcebergExceptionMapper} maps
 *       {@code Throwable}, and two such mappers would compete;
 *   <li>let Jetty pass encoded path characters through: namespaces arrive as {@code a%1Fb}, and
 *       levels or names holding {@code /} as {@code %2F} (for the latter, Jetty's URI compliance
 *       must allow ambiguous path separators and the servlet handler must decode ambiguous URIs);
 *   <li>let Jetty pass empty segments through, for {@link EmptyNamespacePaths} to answer;
 *   <li>leave responses that already have a {@code Content-Encoding} alone, as Jetty's GzipHandler
 *       does: table responses come gzip-encoded from {@link TableResponseEncoding}.
 * </ul>
 */
public final class IcebergRestApi {
  /** Every catalog route lives under the warehouse's prefix. */
  static final String PREFIX_PATH = "/v1/{prefix}";

  private final List<Object> components;
  private final TableLoads tableLoads;
  private final TableResponseEncoding tableEncoding;
  private final TableCommitFilter tableCommits;
  private final UnreadBodyDrain unreadBodies;

  public IcebergRestApi(
      CatalogServices services,
      Warehouses warehouses,
      IdempotencyStore idempotencyStore,
      RestSettings settings) {
    requireNonNull(services, "services is null");
    requireNonNull(warehouses, "warehouses is null");
    requireNonNull(idempotencyStore, "idempotencyStore is null");
    requireNonNull(settings, "settings is null");
    IcebergJson json = new IcebergJson(settings.maxRequestBytes());
    IcebergExceptionMapper errors = new IcebergExceptionMapper();
    TableResponses tableResponses =
        new TableResponses(settings.responseCacheBytes(), settings.gzipLevel());
    services.tables().onSupersededMetadata(tableResponses::evict);
    this.tableLoads = new TableLoads(services.tables(), tableResponses);
    this.tableEncoding = new TableResponseEncoding(tableResponses);
    Idempotency idempotency =
        new Idempotency(
            idempotencyStore,
            errors,
            Clock.systemUTC(),
            settings.idempotencyKeyLifetime(),
            settings.idempotencyWait());
    TableResource tableResource =
        new TableResource(
            services.tables(),
            services.tableCommits(),
            tableResponses,
            tableLoads,
            json,
            idempotency);
    this.components =
        List.of(
            errors,
            new ConfigResource(warehouses, json, settings.idempotencyKeyLifetime()),
            new NamespaceResource(services.namespaces(), json, idempotency),
            tableResource,
            tableEncoding,
            new ViewResource(services.views(), json, idempotency),
            new EmptyNamespacePaths());
    this.tableCommits = new TableCommitFilter(tableResource, errors, tableEncoding);
    this.unreadBodies = new UnreadBodyDrain(settings.maxRequestBytes());
  }

  /**
   * Registers the resources, the exception mapper, the empty-namespace filter and the encoding of
   * table responses; switches off WADL, which nothing serves.
   */
  public void registerWith(ResourceConfig jersey) {
    components.forEach(jersey::register);
    jersey.property(ServerProperties.WADL_FEATURE_DISABLE, true);
  }

  /**
   * The Jetty handler that answers loadTable ahead of {@code context}, the servlet context Jersey
   * runs in, and hands it every other request; the host puts it in the context's place among its
   * handlers. Optional: without it Jersey answers loads alike.
   */
  public Handler tableLoads(ContextHandler context) {
    return new TableLoadHandler(tableLoads, tableEncoding, context);
  }

  /**
   * The servlet filter that answers table commits ahead of Jersey; the host maps it to {@code
   * /v1/*} in front of the Jersey servlet. Optional: without it Jersey answers them alike.
   */
  public Filter tableCommits() {
    return tableCommits;
  }

  /**
   * The servlet filter that reads request bodies left unread by an early answer, so that the
   * keep-alive connection survives it; the host maps it to every path, ahead of every other filter.
   */
  public Filter unreadBodies() {
    return unreadBodies;
  }
}
