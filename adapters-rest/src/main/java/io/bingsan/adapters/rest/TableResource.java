package io.bingsan.adapters.rest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.bingsan.domain.commit.TableCommit;
import io.bingsan.ports.out.Page;
import io.bingsan.service.CommittedTable;
import io.bingsan.service.TableCommitService;
import io.bingsan.service.TableService;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.rest.Endpoint;
import org.apache.iceberg.rest.RESTCatalogProperties.SnapshotMode;
import org.apache.iceberg.rest.requests.CommitTransactionRequest;
import org.apache.iceberg.rest.requests.CreateTableRequest;
import org.apache.iceberg.rest.requests.RegisterTableRequest;
import org.apache.iceberg.rest.requests.RenameTableRequest;
import org.apache.iceberg.rest.requests.ReportMetricsRequest;
import org.apache.iceberg.rest.requests.ReportMetricsRequestParser;
import org.apache.iceberg.rest.requests.UpdateTableRequest;

/** Table routes, including multi-table transactions and metrics reports. */
@Path(IcebergRestApi.PREFIX_PATH)
public final class TableResource {
  private final TableService tables;
  private final TableCommitService commits;
  private final TableResponses responses;
  private final TableLoads loads;
  private final IcebergJson json;
  private final Idempotency idempotency;

  TableResource(
      TableService tables,
      TableCommitService commits,
      TableResponses responses,
      TableLoads loads,
      IcebergJson json,
      Idempotency idempotency) {
    this.tables = requireNonNull(tables, "tables is null");
    this.commits = requireNonNull(commits, "commits is null");
    this.responses = requireNonNull(responses, "responses is null");
    this.loads = requireNonNull(loads, "loads is null");
    this.json = requireNonNull(json, "json is null");
    this.idempotency = requireNonNull(idempotency, "idempotency is null");
  }

  @GET
  @Path("/namespaces/{namespace}/tables")
  public Response list(
      @PathParam("prefix") String prefix,
      @Encoded @PathParam("namespace") String namespace,
      @QueryParam("pageToken") String pageToken,
      @QueryParam("pageSize") String pageSize) {
    Page<TableIdentifier> page =
        tables.list(
            prefix,
            Identifiers.namespaceFromPath(namespace),
            QueryParams.page(pageToken, pageSize));
    return json.ok(generator -> Listings.writeIdentifiers(page, generator));
  }

  /** Creates a table, or with {@code stage-create} only returns the metadata it would have. */
  @POST
  @Path("/namespaces/{namespace}/tables")
  public Response create(
      @PathParam("prefix") String prefix,
      @Encoded @PathParam("namespace") String namespace,
      @HeaderParam(Idempotency.HEADER) String idempotencyKey,
      InputStream body) {
    return idempotency.run(
        idempotencyKey,
        Endpoint.V1_CREATE_TABLE,
        () -> {
          CreateTableRequest request = json.readRequest(body, CreateTableRequest.class);
          Namespace parsed = Identifiers.namespaceFromPath(namespace);
          TableMetadata metadata =
              request.stageCreate()
                  ? tables.stageCreate(prefix, parsed, request)
                  : tables.create(prefix, parsed, request);
          return responses.render(metadata, SnapshotMode.ALL).toResponse();
        });
  }

  /** Loads a table; {@link TableLoadHandler} answers the same request first when it can. */
  @GET
  @Path("/namespaces/{namespace}/tables/{table}")
  public Response load(
      @PathParam("prefix") String prefix,
      @Encoded @PathParam("namespace") String namespace,
      @Encoded @PathParam("table") String table,
      @QueryParam("snapshots") String snapshots,
      @HeaderParam(HttpHeaders.IF_NONE_MATCH) List<String> ifNoneMatch) {
    TableLoads.Answer answer =
        loads.load(
            prefix,
            Identifiers.identifier(namespace, table),
            QueryParams.snapshotMode(snapshots),
            ifNoneMatch);
    if (answer.notModifiedTag() != null) {
      return Response.notModified()
          .header(HttpHeaders.ETAG, answer.notModifiedTag())
          .header(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING)
          .build();
    }
    return answer.rendered().toResponse();
  }

  @HEAD
  @Path("/namespaces/{namespace}/tables/{table}")
  public Response exists(
      @PathParam("prefix") String prefix,
      @Encoded @PathParam("namespace") String namespace,
      @Encoded @PathParam("table") String table) {
    tables.metadataLocation(prefix, Identifiers.identifier(namespace, table));
    return Response.noContent().build();
  }

  /**
   * Commits one table; {@code assert-create} makes it the create of a staged table. {@link
   * TableCommitFilter} calls this ahead of Jersey for the paths it parses.
   */
  @POST
  @Path("/namespaces/{namespace}/tables/{table}")
  public Response commit(
      @PathParam("prefix") String prefix,
      @Encoded @PathParam("namespace") String namespace,
      @Encoded @PathParam("table") String table,
      @HeaderParam(Idempotency.HEADER) String idempotencyKey,
      InputStream body) {
    return idempotency.run(
        idempotencyKey,
        Endpoint.V1_UPDATE_TABLE,
        () -> {
          UpdateTableRequest request = json.readRequest(body, UpdateTableRequest.class);
          TableIdentifier identifier = Identifiers.identifier(namespace, table);
          CommittedTable committed = commits.commit(prefix, toCommit(identifier, request));
          return responses.render(committed).toResponse();
        });
  }

  @DELETE
  @Path("/namespaces/{namespace}/tables/{table}")
  public Response drop(
      @PathParam("prefix") String prefix,
      @Encoded @PathParam("namespace") String namespace,
      @Encoded @PathParam("table") String table,
      @QueryParam("purgeRequested") String purgeRequested,
      @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
    return idempotency.run(
        idempotencyKey,
        Endpoint.V1_DELETE_TABLE,
        () -> {
          tables.drop(
              prefix,
              Identifiers.identifier(namespace, table),
              QueryParams.flag("purgeRequested", purgeRequested));
          return Response.noContent().build();
        });
  }

  @POST
  @Path("/namespaces/{namespace}/register")
  public Response register(
      @PathParam("prefix") String prefix,
      @Encoded @PathParam("namespace") String namespace,
      @HeaderParam(Idempotency.HEADER) String idempotencyKey,
      InputStream body) {
    return idempotency.run(
        idempotencyKey,
        Endpoint.V1_REGISTER_TABLE,
        () -> {
          RegisterTableRequest request = json.readRequest(body, RegisterTableRequest.class);
          TableMetadata metadata =
              tables.register(prefix, Identifiers.namespaceFromPath(namespace), request);
          return responses.render(metadata, SnapshotMode.ALL).toResponse();
        });
  }

  @POST
  @Path("/tables/rename")
  public Response rename(
      @PathParam("prefix") String prefix,
      @HeaderParam(Idempotency.HEADER) String idempotencyKey,
      InputStream body) {
    return idempotency.run(
        idempotencyKey,
        Endpoint.V1_RENAME_TABLE,
        () -> {
          RenameTableRequest request = json.readRequest(body, RenameTableRequest.class);
          tables.rename(prefix, request.source(), request.destination());
          return Response.noContent().build();
        });
  }

  /** Stores a scan or commit report as the client sent it; Iceberg's parser only checks it. */
  @POST
  @Path("/namespaces/{namespace}/tables/{table}/metrics")
  public Response reportMetrics(
      @PathParam("prefix") String prefix,
      @Encoded @PathParam("namespace") String namespace,
      @Encoded @PathParam("table") String table,
      InputStream body) {
    JsonNode report = json.readTree(body);
    ReportMetricsRequest request;
    try {
      request = ReportMetricsRequestParser.fromJson(report);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new BadRequestException(e, "Invalid metrics report: %s", e.getMessage());
    }
    tables.reportMetrics(
        prefix,
        Identifiers.identifier(namespace, table),
        request.reportType().name().toLowerCase(Locale.ROOT).replace('_', '-'),
        report.toString());
    return Response.noContent().build();
  }

  @POST
  @Path("/transactions/commit")
  public Response commitTransaction(
      @PathParam("prefix") String prefix,
      @HeaderParam(Idempotency.HEADER) String idempotencyKey,
      InputStream body) {
    return idempotency.run(
        idempotencyKey,
        Endpoint.V1_COMMIT_TRANSACTION,
        () -> {
          CommitTransactionRequest request =
              json.readRequest(body, CommitTransactionRequest.class);
          commits.commitAll(
              prefix,
              request.tableChanges().stream()
                  .map(change -> toCommit(change.identifier(), change))
                  .toList());
          return Response.noContent().build();
        });
  }

  private static TableCommit toCommit(TableIdentifier identifier, UpdateTableRequest request) {
    return new TableCommit(identifier, request.requirements(), request.updates());
  }
}
