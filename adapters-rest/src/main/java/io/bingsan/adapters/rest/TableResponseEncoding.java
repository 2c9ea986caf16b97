package io.bingsan.adapters.rest;

import static java.util.Objects.requireNonNull;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
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

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    if (!(response.getEntity() instanceof TableResponses.Rendered rendered)) {
      return;
    }
    TableResponses.Encoded encoded =
        encode(rendered, request.getHeaders().get(HttpHeaders.ACCEPT_ENCODING));
    response.setEntity(encoded.body());
    encoded.headers(response.getHeaders()::putSingle);
  }

  /**
   * The encoding of a rendered response for a client's {@code Accept-Encoding} header lines.
   */
  TableResponses.Encoded encode(TableResponses.Rendered rendered, List<String> acceptEncoding) {
    return acceptsGzip(acceptEncoding) ? responses.gzipped(rendered) : rendered.plain();
  }

  /**
   * Whether {@code Accept-Encoding} allows gzip (RFC 9110 §12.5.3): {@code gzip} (or {@code
   * x-gzip}) listed with a non-zero weight, or else {@code *} with one. An unreadable weight
   * counts as a refusal, since plain is always acceptable. Read in place: every load asks.
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
      for (int start = 0; start <= headerValue.length(); ) {
        int end = endOf(headerValue, ',', start, headerValue.length());
        int nameEnd = endOf(headerValue, ';', start, end);
        if (isToken(headerValue, start, nameEnd, GZIP)
            || isToken(headerValue, start, nameEnd, "x-gzip")) {
          gzipWeight = weight(headerValue, nameEnd, end);
        } else if (isToken(headerValue, start, nameEnd, "*")) {
          anyWeight = weight(headerValue, nameEnd, end);
        }
        start = end + 1;
      }
    }
    Double weight = gzipWeight != null ? gzipWeight : anyWeight;
    return weight != null && weight > 0;
  }

  /** The weight among the parameters of a coding, each led by a {@code ;}; 1 if none is given. */
  private static double weight(String value, int parametersStart, int end) {
    for (int start = parametersStart + 1; start <= end; ) {
      int parameterEnd = endOf(value, ';', start, end);
      int from = skipWhitespace(value, start, parameterEnd);
      if (parameterEnd - from >= 2
          && (value.charAt(from) == 'q' || value.charAt(from) == 'Q')
          && value.charAt(from + 1) == '=') {
        try {
          return Double.parseDouble(value.substring(from + 2, parameterEnd));
        } catch (NumberFormatException e) {
          return 0;
        }
      }
      start = parameterEnd + 1;
    }
    return 1;
  }

  /** Whether {@code value[start, end)}, trimmed, is {@code token} in any case. */
  private static boolean isToken(String value, int start, int end, String token) {
    int from = skipWhitespace(value, start, end);
    int to = end;
    while (to > from && Character.isWhitespace(value.charAt(to - 1))) {
      to--;
    }
    return to - from == token.length() && value.regionMatches(true, from, token, 0, to - from);
  }

  private static int skipWhitespace(String value, int start, int end) {
    while (start < end && Character.isWhitespace(value.charAt(start))) {
      start++;
    }
    return start;
  }

  /** The index of the next {@code separator} from {@code start}, or {@code end} if none before. */
  private static int endOf(String value, char separator, int start, int end) {
    int found = value.indexOf(separator, start);
    return found < 0 || found > end ? end : found;
  }
}
