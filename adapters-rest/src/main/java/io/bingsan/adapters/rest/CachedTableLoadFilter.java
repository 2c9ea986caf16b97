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
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalogProperties.SnapshotMode;

/**
 * Answers a loadTable that needs no rendering (a 304, or a response in the cache) ahead of Jersey,
 * whose dispatch costs more than such an answer. It shares {@link TableLoads} and {@link
 * TableResponseEncoding} with {@link TableResource#load}, so both answer alike. Anything else goes
 * on to Jersey, which answers it in full: other requests, paths or query strings this filter does
 * not parse exactly as Jersey would (a percent-encoded prefix, matrix or dot segments, other
 * parameters), a cache miss, and every error (Jersey repeats the pointer read and maps it). Jetty's
 * handlers around the servlets (request log, metrics, gzip) see both paths alike.
 */
final class CachedTableLoadFilter implements Filter {
  // Prefix, namespace and table, the last two still encoded as Jersey's @Encoded parameters are.
  private static final Pattern LOAD_PATH =
      Pattern.compile("/v1/([^/;%.][^/;%]*)/namespaces/([^/;.][^/;]*)/tables/([^/;.][^/;]*)");
  private static final Pattern SNAPSHOTS_QUERY = Pattern.compile("snapshots=([A-Za-z]+)");

  private final TableLoads loads;
  private final TableResponseEncoding encoding;

  CachedTableLoadFilter(TableLoads loads, TableResponseEncoding encoding) {
    this.loads = requireNonNull(loads, "loads is null");
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
    if (!"GET".equals(request.getMethod())) {
      return false;
    }
    Matcher path =
        LOAD_PATH.matcher(request.getRequestURI().substring(request.getContextPath().length()));
    if (!path.matches()) {
      return false;
    }
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
      TableIdentifier identifier = Identifiers.identifier(path.group(2), path.group(3));
      List<String> ifNoneMatch = headerLines(request, HttpHeaders.IF_NONE_MATCH);
      answer = loads.cached(path.group(1), identifier, mode, ifNoneMatch);
    } catch (RuntimeException e) {
      return false;
    }
    if (answer == null) {
      return false;
    }
    response.setHeader(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
    if (answer.notModifiedTag() != null) {
      response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
      response.setHeader(HttpHeaders.ETAG, answer.notModifiedTag());
      return true;
    }
    TableResponseEncoding.Encoded encoded =
        encoding.encode(answer.rendered(), headerLines(request, HttpHeaders.ACCEPT_ENCODING));
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType(MediaType.APPLICATION_JSON);
    response.setHeader(HttpHeaders.ETAG, encoded.etag());
    if (encoded.gzip()) {
      response.setHeader(HttpHeaders.CONTENT_ENCODING, TableResponseEncoding.GZIP);
    }
    response.setContentLength(encoded.body().length);
    response.getOutputStream().write(encoded.body());
    return true;
  }

  private static List<String> headerLines(HttpServletRequest request, String name) {
    return Collections.list(request.getHeaders(name));
  }
}
