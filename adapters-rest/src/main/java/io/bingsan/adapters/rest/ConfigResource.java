package io.bingsan.adapters.rest;

import static java.util.Objects.requireNonNull;

import io.bingsan.service.Warehouses;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import org.apache.iceberg.rest.RESTCatalogProperties;
import org.apache.iceberg.rest.responses.ConfigResponse;

/**
 * {@code GET /v1/config}: the warehouse's URL prefix, the namespace separator, the routes served
 * and the idempotency key lifetime. {@code defaults} and {@code overrides} are always present
 * (PyIceberg rejects a response without them).
 */
@Path("/v1/config")
public final class ConfigResource {
  private final Warehouses warehouses;
  private final IcebergJson json;
  private final String idempotencyKeyLifetime;

  ConfigResource(Warehouses warehouses, IcebergJson json, Duration idempotencyKeyLifetime) {
    this.warehouses = requireNonNull(warehouses, "warehouses is null");
    this.json = requireNonNull(json, "json is null");
    this.idempotencyKeyLifetime = idempotencyKeyLifetime.toString();
  }

  @GET
  public Response config(@QueryParam("warehouse") String warehouse) {
    return json.ok(
        ConfigResponse.builder()
            .withOverride("prefix", warehouses.select(warehouse).name())
            .withOverride(
                RESTCatalogProperties.NAMESPACE_SEPARATOR, Identifiers.NAMESPACE_SEPARATOR)
            .withEndpoints(Routes.ADVERTISED)
            .withIdempotencyKeyLifetime(idempotencyKeyLifetime)
            .build());
  }
}
