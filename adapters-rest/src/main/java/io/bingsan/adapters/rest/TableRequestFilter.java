package io.bingsan.adapters.rest;

import static java.util.Objects.requireNonNull;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalogProperties.SnapshotMode;

/**
 * Answers the two table requests clients send most ahead of Jersey, whose dispatch can cost more
 * than the answer: loadTable and a commit. Both run the code Jersey's route would ({@link
 * TableLoads}, {@link TableResource#commit}, {@link TableResponseEncoding}, the exception mapper),
 * so both paths answer alike. Anything else goes on to Jersey, which answers it in full: other
 * requests, paths or query strings this filter does not parse exactly as Jersey would (a
 * percent-encoded prefix, matrix or dot segments, parameters other than a load's {@code
 * snapshots}), and a load that fails (a read has no effect, so Jersey may repeat it and map the
 * error). Jetty's handlers around the servlets (request log, metrics, gzip) see both paths alike.
 */
final class TableRequestFilter implements Filter {
  private static final Pattern SNAPSHOTS_QUERY = Pattern.compile("snapshots=([A-Za-z]+)");

  private final TableLoads loads;
  private final TableResource tables;
  private final ExceptionMapper<Throwable> errors;
  private final TableResponseEncoding encoding;

  TableRequestFilter(
      TableLoads loads,
      TableResource tables,
      ExceptionMapper<Throwable> errors,
      TableResponseEncoding encoding) {
    this.loads = requireNonNull(loads, "loads is null");
    this.tables = requireNonNull(tables, "tables is null");
    this.errors = requireNonNull(errors, "errors is null");
    this.encoding = requireNonNull(encoding, "encoding is null");
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!(request instanceof HttpServletRequest http
        && response instanceof HttpServletResponse httpResponse
        && answered(http, httpResponse))) {
      chain.doFilter(request, response);
    }
  }

  private boolean answered(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    boolean load = "GET".equals(request.getMethod());
    if (!load && !"POST".equals(request.getMethod())) {
      return false;
    }
    TablePath path =
        TablePath.parse(request.getRequestURI().substring(request.getContextPath().length()));
    if (path == null) {
      return false;
    }
    return load ? answeredLoad(path, request, response) : answeredCommit(path, request, response);
  }

  private boolean answeredLoad(
      TablePath path, HttpServletRequest request, HttpServletResponse response) throws IOException {
    String snapshots = null;
    String query = request.getQueryString();
    if (query != null) {
      Matcher snapshotsQuery = SNAPSHOTS_QUERY.matcher(query);
      if (!snapshotsQuery.matches()) {
        return false;
      }
      snapshots = snapshotsQuery.group(1);
    }
    TableLoads.Answer answer;
    try {
      SnapshotMode mode = QueryParams.snapshotMode(snapshots);
      TableIdentifier identifier = Identifiers.identifier(path.namespace(), path.table());
      List<String> ifNoneMatch = headerLines(request, HttpHeaders.IF_NONE_MATCH);
      answer = loads.load(path.prefix(), identifier, mode, ifNoneMatch);
    } catch (RuntimeException e) {
      return false;
    }
    if (answer.notModifiedTag() != null) {
      response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
      response.setHeader(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
      response.setHeader(HttpHeaders.ETAG, answer.notModifiedTag());
      return true;
    }
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType(MediaType.APPLICATION_JSON);
    send(answer.rendered(), request, response);
    return true;
  }

  /** A commit runs once whatever its outcome, so every outcome is answered here, errors too. */
  private boolean answeredCommit(
      TablePath path, HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (request.getQueryString() != null) {
      return false;
    }
    Response answer;
    try {
      answer =
          tables.commit(
              path.prefix(),
              path.namespace(),
              path.table(),
              request.getHeader(Idempotency.HEADER),
              request.getInputStream());
    } catch (RuntimeException e) {
      answer = errors.toResponse(e);
    }
    response.setStatus(answer.getStatus());
    answer
        .getStringHeaders()
        .forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
    // Idempotency allows a rendered table response, bytes, or no body.
    if (answer.getEntity() instanceof TableResponses.Rendered rendered) {
      send(rendered, request, response);
    } else if (answer.getEntity() instanceof byte[] body) {
      response.setContentLength(body.length);
      response.getOutputStream().write(body);
    }
    return true;
  }

  /** A rendered response in the encoding the client accepts, as TableResponseEncoding does. */
  private void send(
      TableResponses.Rendered rendered, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    TableResponses.Encoded encoded =
        encoding.encode(rendered, headerLines(request, HttpHeaders.ACCEPT_ENCODING));
    response.setHeader(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
    if (encoded.etag() != null) {
      response.setHeader(HttpHeaders.ETAG, encoded.etag());
    }
    if (encoded.gzip()) {
      response.setHeader(HttpHeaders.CONTENT_ENCODING, TableResponseEncoding.GZIP);
    }
    response.setContentLength(encoded.body().length);
    response.getOutputStream().write(encoded.body());
  }

  /** Every line of a header, or null without one (most loads send no If-None-Match). */
  private static List<String> headerLines(HttpServletRequest request, String name) {
    return request.getHeader(name) == null ? null : Collections.list(request.getHeaders(name));
  }
}
