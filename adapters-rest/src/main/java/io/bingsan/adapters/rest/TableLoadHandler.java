package io.bingsan.adapters.rest;

import static java.util.Objects.requireNonNull;

import jakarta.ws.rs.core.MediaType;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalogProperties.SnapshotMode;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers loadTable, the request clients send most, in Jetty's core API ahead of the servlet
 * context it wraps: the context's per-request work (its request wrappers, the filter chain, the
 * servlet output stream) costs more than answering a cached table. It runs the code Jersey's route
 * would ({@link TableLoads}, {@link TableResponseEncoding}), so both answer alike. Anything else
 * goes on to the context, which answers it in full: other requests, paths or query strings this
 * handler does not parse exactly as Jersey would ({@link TablePath}, parameters other than {@code
 * snapshots}), and a load that fails (a read has no effect, so Jersey may repeat it and map the
 * error). The handlers around it (request log, metrics, gzip) see both routes alike.
 */
final class TableLoadHandler extends Handler.Wrapper {
  private static final Pattern SNAPSHOTS_QUERY = Pattern.compile("snapshots=([A-Za-z]+)");

  private final TableLoads loads;
  private final TableResponseEncoding encoding;
  /** Empty for the root context, whose path is "/"; the request's path starts with it. */
  private final String contextPath;

  TableLoadHandler(TableLoads loads, TableResponseEncoding encoding, ContextHandler context) {
    super(context);
    this.loads = requireNonNull(loads, "loads is null");
    this.encoding = requireNonNull(encoding, "encoding is null");
    String path = context.getContextPath();
    this.contextPath = "/".equals(path) ? "" : path;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    return answered(request, response, callback) || super.handle(request, response, callback);
  }

  private boolean answered(Request request, Response response, Callback callback) {
    if (!HttpMethod.GET.is(request.getMethod())) {
      return false;
    }
    String target = request.getHttpURI().getPath();
    if (!target.startsWith(contextPath)) {
      return false;
    }
    TablePath path = TablePath.parse(target.substring(contextPath.length()));
    if (path == null) {
      return false;
    }
    String snapshots = null;
    String query = request.getHttpURI().getQuery();
    if (query != null) {
      Matcher snapshotsQuery = SNAPSHOTS_QUERY.matcher(query);
      if (!snapshotsQuery.matches()) {
        return false;
      }
      snapshots = snapshotsQuery.group(1);
    }
    HttpFields headers = request.getHeaders();
    TableLoads.Answer answer;
    try {
      SnapshotMode mode = QueryParams.snapshotMode(snapshots);
      TableIdentifier identifier = Identifiers.identifier(path.namespace(), path.table());
      List<String> ifNoneMatch = lines(headers, HttpHeader.IF_NONE_MATCH);
      answer = loads.load(path.prefix(), identifier, mode, ifNoneMatch);
    } catch (RuntimeException e) {
      return false;
    }
    HttpFields.Mutable sent = response.getHeaders();
    if (answer.notModifiedTag() != null) {
      response.setStatus(HttpStatus.NOT_MODIFIED_304);
      sent.put(HttpHeader.VARY, HttpHeader.ACCEPT_ENCODING.asString());
      sent.put(HttpHeader.ETAG, answer.notModifiedTag());
      callback.succeeded();
      return true;
    }
    TableResponses.Encoded encoded =
        encoding.encode(answer.rendered(), lines(headers, HttpHeader.ACCEPT_ENCODING));
    response.setStatus(HttpStatus.OK_200);
    sent.put(HttpHeader.CONTENT_TYPE, MediaType.APPLICATION_JSON);
    encoded.headers(sent::put);
    sent.put(HttpHeader.CONTENT_LENGTH, encoded.body().length);
    response.write(true, ByteBuffer.wrap(encoded.body()), callback);
    return true;
  }

  /** Every line of a header, or null without one (most loads send no If-None-Match). */
  private static List<String> lines(HttpFields headers, HttpHeader name) {
    return headers.contains(name) ? headers.getValuesList(name) : null;
  }
}
