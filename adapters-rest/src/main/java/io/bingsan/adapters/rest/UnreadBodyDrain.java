package io.bingsan.adapters.rest;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Reads and discards what is left of a request body once the request is answered. An answer given
 * before the body was read (a malformed {@code Idempotency-Key}, an unknown route, a body over the
 * limit) leaves it unread, and Jetty then closes the connection with the unread bytes still
 * arriving: the client, still sending or already reusing the connection, gets a reset instead of
 * the answer.
 *
 * <p>A body declared larger than the catalog accepts is refused, and its answer says {@code
 * Connection: close} so that the client does not reuse the connection. Its rest is discarded
 * anyway, so that the answer is read before the connection closes. Discarding stops at twice the
 * largest accepted body, which bounds the work a refused request costs.
 */
final class UnreadBodyDrain implements Filter {
  private final long maxBytes;

  UnreadBodyDrain(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (request.getContentLengthLong() > maxBytes && response instanceof HttpServletResponse http) {
      http.setHeader("Connection", "close");
    }
    chain.doFilter(request, response);
    if (request instanceof HttpServletRequest http && hasBody(http)) {
      drain(http);
    }
  }

  private static boolean hasBody(HttpServletRequest request) {
    long length = request.getContentLengthLong();
    return length > 0
        || length < 0 && "chunked".equalsIgnoreCase(request.getHeader("Transfer-Encoding"));
  }

  private void drain(HttpServletRequest request) {
    try {
      ServletInputStream body = request.getInputStream();
      byte[] discarded = new byte[8192];
      long left = 2 * maxBytes;
      while (left > 0 && !body.isFinished()) {
        int read = body.read(discarded, 0, (int) Math.min(discarded.length, left));
        if (read < 0) {
          return;
        }
        left -= read;
      }
    } catch (IllegalStateException readAsText) {
      // The body was taken as characters; whoever did so read what it needed.
    } catch (IOException clientGone) {
      // The answer is out; the connection ends either way.
    }
  }
}
