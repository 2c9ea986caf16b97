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
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.io.IOException;
import java.util.Collections;
import java.util.List;

/**
 * Answers table commits ahead of Jersey, whose dispatch can cost more than the answer. It runs the
 * code Jersey's route would ({@link TableResource#commit}, {@link TableResponseEncoding}, the
 * exception mapper), so both paths answer alike, errors too: a commit runs once whatever its
 * outcome. Anything else goes on to Jersey, which answers it in full: other requests, and paths or
 * query strings this filter does not parse exactly as Jersey would ({@link TablePath}, any query
 * string). Jetty's handlers around the servlets (request log, metrics, gzip) see both paths alike.
 */
final class TableCommitFilter implements Filter {
  private final TableResource tables;
  private final ExceptionMapper<Throwable> errors;
  private final TableResponseEncoding encoding;

  TableCommitFilter(
      TableResource tables, ExceptionMapper<Throwable> errors, TableResponseEncoding encoding) {
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
    if (!"POST".equals(request.getMethod()) || request.getQueryString() != null) {
      return false;
    }
    TablePath path =
        TablePath.parse(request.getRequestURI().substring(request.getContextPath().length()));
    if (path == null) {
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
    encoded.headers(response::setHeader);
    response.setContentLength(encoded.body().length);
    response.getOutputStream().write(encoded.body());
  }

  /** Every line of a header, or null without one. */
  private static List<String> headerLines(HttpServletRequest request, String name) {
    return request.getHeader(name) == null ? null : Collections.list(request.getHeaders(name));
  }
}
