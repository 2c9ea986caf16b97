package io.bingsan.adapters.rest;

import static java.util.Objects.requireNonNull;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.List;

/**
 * Answers rendered table responses in gzip to clients that accept it, from bytes compressed once
 * per response instead of by Jetty's GzipHandler on every request (which leaves a response that
 * already has a {@code Content-Encoding} alone). It runs after the resource method, so idempotency
 * records the plain body.
 */
final class TableResponseEncoding implements ContainerResponseFilter {
  static final String GZIP = "gzip";

  private final TableResponses responses;

  TableResponseEncoding(TableResponses responses) {
    this.responses = requireNonNull(responses, "responses is null");
  }

  /** The body and tag a rendered response goes out with; {@code gzip} adds its Content-Encoding. */
  record Encoded(byte[] body, String etag, boolean gzip) {}

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    if (!(response.getEntity() instanceof TableResponses.Rendered rendered)) {
      return;
    }
    Encoded encoded = encode(rendered, request.getHeaders().get(HttpHeaders.ACCEPT_ENCODING));
    MultivaluedMap<String, Object> headers = response.getHeaders();
    headers.putSingle(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
    response.setEntity(encoded.body());
    if (encoded.gzip()) {
      headers.putSingle(HttpHeaders.CONTENT_ENCODING, GZIP);
    }
    if (encoded.etag() != null) {
      headers.putSingle(HttpHeaders.ETAG, encoded.etag());
    }
  }

  /**
   * The encoding of a rendered response for a client's {@code Accept-Encoding} header lines.
   */
  Encoded encode(TableResponses.Rendered rendered, List<String> acceptEncoding) {
    if (!acceptsGzip(acceptEncoding)) {
      return new Encoded(rendered.body(), rendered.etag(), false);
    }
    String etag = rendered.etag() == null ? null : ETags.gzip(rendered.etag());
    return new Encoded(responses.gzipped(rendered), etag, true);
  }

  /**
   * Whether {@code Accept-Encoding} allows gzip (RFC 9110 §12.5.3): {@code gzip} (or {@code
   * x-gzip}) listed with a non-zero weight, or else {@code *} with one. An unreadable weight
   * counts as a refusal, since plain is always acceptable.
   *
   * @param headerValues every {@code Accept-Encoding} header line, each possibly a list
   */
  static boolean acceptsGzip(List<String> headerValues) {
    if (headerValues == null) {
      return false;
    }
    Double gzipWeight = null;
    Double anyWeight = null;
    for (String headerValue : headerValues) {
      for (String coding : headerValue.split(",")) {
        String[] parts = coding.split(";");
        String name = parts[0].strip();
        if (name.equalsIgnoreCase(GZIP) || name.equalsIgnoreCase("x-gzip")) {
          gzipWeight = weight(parts);
        } else if (name.equals("*")) {
          anyWeight = weight(parts);
        }
      }
    }
    Double weight = gzipWeight != null ? gzipWeight : anyWeight;
    return weight != null && weight > 0;
  }

  private static double weight(String[] codingParts) {
    for (int i = 1; i < codingParts.length; i++) {
      String parameter = codingParts[i].strip();
      if (parameter.startsWith("q=") || parameter.startsWith("Q=")) {
        try {
          return Double.parseDouble(parameter.substring(2));
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 1;
  }
}
