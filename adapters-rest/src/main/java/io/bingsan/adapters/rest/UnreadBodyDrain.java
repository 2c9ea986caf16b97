package io.bingsan.adapters.rest;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;

/**
 * Reads what is left of a request body once the request is answered, up to the largest body the
 * catalog accepts. An answer given before the body was read (a malformed {@code Idempotency-Key},
 * an unknown route) leaves it unread, and Jetty then closes the keep-alive connection, which a
 * client may already be reusing for its next request. A larger body still closes it.
 */
final class UnreadBodyDrain implements Filter {
  private final long maxBytes;

  UnreadBodyDrain(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    chain.doFilter(request, response);
    if (request instanceof HttpServletRequest http && mayDrain(http)) {
      drain(http);
    }
  }

  private boolean mayDrain(HttpServletRequest request) {
    long length = request.getContentLengthLong();
    return length > 0
        ? length <= maxBytes
        : length < 0 && "chunked".equalsIgnoreCase(request.getHeader("Transfer-Encoding"));
  }

  private void drain(HttpServletRequest request) {
    try {
      ServletInputStream body = request.getInputStream();
      byte[] discarded = new byte[8192];
      long left = maxBytes;
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
