package io.bingsan.adapters.rest;

import static java.util.Objects.requireNonNull;

import io.bingsan.ports.out.Page;
import io.bingsan.service.NamespaceService;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.rest.Endpoint;
import org.apache.iceberg.rest.requests.CreateNamespaceRequest;
import org.apache.iceberg.rest.requests.UpdateNamespacePropertiesRequest;
import org.apache.iceberg.rest.responses.CreateNamespaceResponse;
import org.apache.iceberg.rest.responses.GetNamespaceResponse;
import org.apache.iceberg.rest.responses.UpdateNamespacePropertiesResponse;

/**
 * Namespace routes. Property maps and key lists are copied before they reach Iceberg's response
 * builders, which probe them with {@code containsKey(null)} (see {@link Listings}).
 */
@Path(IcebergRestApi.PREFIX_PATH)
public final class NamespaceResource {
  private final NamespaceService namespaces;
  private final IcebergJson json;
  private final Idempotency idempotency;

  NamespaceResource(NamespaceService namespaces, IcebergJson json, Idempotency idempotency) {
    this.namespaces = requireNonNull(namespaces, "namespaces is null");
    this.json = requireNonNull(json, "json is null");
    this.idempotency = requireNonNull(idempotency, "idempotency is null");
  }

  @GET
  @Path("/namespaces")
  public Response list(
      @PathParam("prefix") String prefix,
      @QueryParam("parent") String parent,
      @QueryParam("pageToken") String pageToken,
      @QueryParam("pageSize") String pageSize) {
    Page<Namespace> page =
        namespaces.list(
            prefix, Identifiers.namespaceFromQuery(parent), QueryParams.page(pageToken, pageSize));
    return json.ok(Listings.namespaces(page));
  }

  @POST
  @Path("/namespaces")
  public Response create(
      @PathParam("prefix") String prefix,
      @HeaderParam(Idempotency.HEADER) String idempotencyKey,
      InputStream body) {
    return idempotency.run(
        idempotencyKey,
        Endpoint.V1_CREATE_NAMESPACE,
        () -> {
          CreateNamespaceRequest request = json.readRequest(body, CreateNamespaceRequest.class);
          Map<String, String> properties =
              namespaces.create(prefix, request.namespace(), request.properties());
          return json.ok(
              CreateNamespaceResponse.builder()
                  .withNamespace(request.namespace())
                  .setProperties(new LinkedHashMap<>(properties))
                  .build());
        });
  }

  @GET
  @Path("/namespaces/{namespace}")
  public Response load(
      @PathParam("prefix") String prefix, @Encoded @PathParam("namespace") String namespace) {
    Namespace parsed = Identifiers.namespaceFromPath(namespace);
    return json.ok(
        GetNamespaceResponse.builder()
            .withNamespace(parsed)
            .setProperties(new LinkedHashMap<>(namespaces.load(prefix, parsed)))
            .build());
  }

  @HEAD
  @Path("/namespaces/{namespace}")
  public Response exists(
      @PathParam("prefix") String prefix, @Encoded @PathParam("namespace") String namespace) {
    namespaces.properties(prefix, Identifiers.namespaceFromPath(namespace));
    return Response.noContent().build();
  }

  @DELETE
  @Path("/namespaces/{namespace}")
  public Response drop(
      @PathParam("prefix") String prefix,
      @Encoded @PathParam("namespace") String namespace,
      @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
    return idempotency.run(
        idempotencyKey,
        Endpoint.V1_DELETE_NAMESPACE,
        () -> {
          namespaces.drop(prefix, Identifiers.namespaceFromPath(namespace));
          return Response.noContent().build();
        });
  }

  @POST
  @Path("/namespaces/{namespace}/properties")
  public Response updateProperties(
      @PathParam("prefix") String prefix,
      @Encoded @PathParam("namespace") String namespace,
      @HeaderParam(Idempotency.HEADER) String idempotencyKey,
      InputStream body) {
    return idempotency.run(
        idempotencyKey,
        Endpoint.V1_UPDATE_NAMESPACE,
        () -> {
          UpdateNamespacePropertiesRequest request =
              json.readRequest(body, UpdateNamespacePropertiesRequest.class);
          NamespaceService.PropertiesUpdate result =
              namespaces.updateProperties(
                  prefix,
                  Identifiers.namespaceFromPath(namespace),
                  request.updates(),
                  new LinkedHashSet<>(request.removals()));
          return json.ok(
              UpdateNamespacePropertiesResponse.builder()
                  .addUpdated(new ArrayList<>(result.updated()))
                  .addRemoved(new ArrayList<>(result.removed()))
                  .addMissing(new ArrayList<>(result.missing()))
                  .build());
        });
  }
}
