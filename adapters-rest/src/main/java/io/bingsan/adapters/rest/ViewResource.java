package io.bingsan.adapters.rest;

import static java.util.Objects.requireNonNull;

import io.bingsan.ports.out.Page;
import io.bingsan.service.ViewService;
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
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.Endpoint;
import org.apache.iceberg.rest.requests.CreateViewRequest;
import org.apache.iceberg.rest.requests.RegisterViewRequest;
import org.apache.iceberg.rest.requests.RenameTableRequest;
import org.apache.iceberg.rest.requests.UpdateTableRequest;
import org.apache.iceberg.rest.responses.ImmutableLoadViewResponse;
import org.apache.iceberg.view.ViewMetadata;

/** View routes. */
@Path(IcebergRestApi.PREFIX_PATH)
public final class ViewResource {
  private final ViewService views;
  private final IcebergJson json;
  private final Idempotency idempotency;

  ViewResource(ViewService views, IcebergJson json, Idempotency idempotency) {
    this.views = requireNonNull(views, "views is null");
    this.json = requireNonNull(json, "json is null");
    this.idempotency = requireNonNull(idempotency, "idempotency is null");
  }

  @GET
  @Path("/namespaces/{namespace}/views")
  public Response list(
      @PathParam("prefix") String prefix,
      @Encoded @PathParam("namespace") String namespace,
      @QueryParam("pageToken") String pageToken,
      @QueryParam("pageSize") String pageSize) {
    Page<TableIdentifier> page =
        views.list(
            prefix,
            Identifiers.namespaceFromPath(namespace),
            QueryParams.page(pageToken, pageSize));
    return json.ok(generator -> Listings.writeIdentifiers(page, generator));
  }

  // The spec lists no Idempotency-Key here, but Iceberg's client sends one; honouring it is safe.
  @POST
  @Path("/namespaces/{namespace}/views")
  public Response create(
      @PathParam("prefix") String prefix,
      @Encoded @PathParam("namespace") String namespace,
      @HeaderParam(Idempotency.HEADER) String idempotencyKey,
      InputStream body) {
    return idempotency.run(
        idempotencyKey,
        Endpoint.V1_CREATE_VIEW,
        () -> {
          CreateViewRequest request = json.readRequest(body, CreateViewRequest.class);
          return viewResponse(
              views.create(prefix, Identifiers.namespaceFromPath(namespace), request));
        });
  }

  @GET
  @Path("/namespaces/{namespace}/views/{view}")
  public Response load(
      @PathParam("prefix") String prefix,
      @Encoded @PathParam("namespace") String namespace,
      @Encoded @PathParam("view") String view) {
    return viewResponse(views.load(prefix, Identifiers.identifier(namespace, view)));
  }

  @HEAD
  @Path("/namespaces/{namespace}/views/{view}")
  public Response exists(
      @PathParam("prefix") String prefix,
      @Encoded @PathParam("namespace") String namespace,
      @Encoded @PathParam("view") String view) {
    views.metadataLocation(prefix, Identifiers.identifier(namespace, view));
    return Response.noContent().build();
  }

  @POST
  @Path("/namespaces/{namespace}/views/{view}")
  public Response replace(
      @PathParam("prefix") String prefix,
      @Encoded @PathParam("namespace") String namespace,
      @Encoded @PathParam("view") String view,
      @HeaderParam(Idempotency.HEADER) String idempotencyKey,
      InputStream body) {
    return idempotency.run(
        idempotencyKey,
        Endpoint.V1_UPDATE_VIEW,
        () -> {
          UpdateTableRequest request = json.readRequest(body, UpdateTableRequest.class);
          return viewResponse(
              views.replace(
                  prefix,
                  Identifiers.identifier(namespace, view),
                  request.requirements(),
                  request.updates()));
        });
  }

  @DELETE
  @Path("/namespaces/{namespace}/views/{view}")
  public Response drop(
      @PathParam("prefix") String prefix,
      @Encoded @PathParam("namespace") String namespace,
      @Encoded @PathParam("view") String view,
      @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
    return idempotency.run(
        idempotencyKey,
        Endpoint.V1_DELETE_VIEW,
        () -> {
          views.drop(prefix, Identifiers.identifier(namespace, view));
          return Response.noContent().build();
        });
  }

  @POST
  @Path("/views/rename")
  public Response rename(
      @PathParam("prefix") String prefix,
      @HeaderParam(Idempotency.HEADER) String idempotencyKey,
      InputStream body) {
    return idempotency.run(
        idempotencyKey,
        Endpoint.V1_RENAME_VIEW,
        () -> {
          RenameTableRequest request = json.readRequest(body, RenameTableRequest.class);
          views.rename(prefix, request.source(), request.destination());
          return Response.noContent().build();
        });
  }

  @POST
  @Path("/namespaces/{namespace}/register-view")
  public Response register(
      @PathParam("prefix") String prefix,
      @Encoded @PathParam("namespace") String namespace,
      @HeaderParam(Idempotency.HEADER) String idempotencyKey,
      InputStream body) {
    return idempotency.run(
        idempotencyKey,
        Endpoint.V1_REGISTER_VIEW,
        () -> {
          RegisterViewRequest request = json.readRequest(body, RegisterViewRequest.class);
          return viewResponse(
              views.register(prefix, Identifiers.namespaceFromPath(namespace), request));
        });
  }

  private Response viewResponse(ViewMetadata metadata) {
    return json.ok(
        ImmutableLoadViewResponse.builder()
            .metadata(metadata)
            .metadataLocation(metadata.metadataFileLocation())
            .build());
  }
}
