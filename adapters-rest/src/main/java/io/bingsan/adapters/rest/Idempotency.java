package io.bingsan.adapters.rest;

import static java.util.Objects.requireNonNull;

import io.bingsan.ports.out.IdempotencyStore;
import io.bingsan.ports.out.IdempotencyStore.Claim;
import io.bingsan.ports.out.IdempotencyStore.FinalResponse;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.ServiceUnavailableException;
import org.apache.iceberg.rest.Endpoint;
import org.apache.iceberg.rest.RESTUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spec's {@code Idempotency-Key}: a mutating request runs at most once per key, and a retry
 * gets the first request's final response again. 2xx and 4xx are final (a 409 replays as a 409);
 * a 5xx gives the key back, so a retry runs the request anew. Every mutating resource method runs
 * its work through {@link #run}.
 */
final class Idempotency {
  static final String HEADER = RESTUtil.IDEMPOTENCY_KEY_HEADER;

  private static final Logger LOG = LoggerFactory.getLogger(Idempotency.class);
  private static final Pattern UUID_STRING =
      Pattern.compile("\\p{XDigit}{8}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{12}");
  private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

  private final IdempotencyStore store;
  private final ExceptionMapper<Throwable> errors;
  private final Clock clock;
  private final Duration lifetime;
  private final Duration wait;

  /**
   * @param errors turns a failed request into its final response, as the exception mapper would
   * @param lifetime how long a key replays
   * @param wait how long a retry waits for a request still running under its key
   */
  Idempotency(
      IdempotencyStore store,
      ExceptionMapper<Throwable> errors,
      Clock clock,
      Duration lifetime,
      Duration wait) {
    this.store = requireNonNull(store, "store is null");
    this.errors = requireNonNull(errors, "errors is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.lifetime = requireNonNull(lifetime, "lifetime is null");
    this.wait = requireNonNull(wait, "wait is null");
  }

  /**
   * Runs {@code request} under {@code key}, or replays the response of the first request that
   * used it. Without a key the request simply runs.
   *
   * @param key the {@code Idempotency-Key} header, or null
   * @param endpoint the route; a key reused on another route is a 400
   * @param request the work; its response entity, if any, must be a {@code byte[]} or a rendered
   *     table response (whose plain body is recorded)
   */
  Response run(String key, Endpoint endpoint, Supplier<Response> request) {
    if (key == null) {
      return request.get();
    }
    String normalizedKey = requireUuid(key);
    Claim claim = claim(normalizedKey, endpoint.toString());
    if (claim.finished() != null) {
      return replay(claim.finished());
    }
    Response response;
    try {
      response = request.get();
    } catch (RuntimeException e) {
      response = errors.toResponse(e);
    } catch (Error e) {
      release(normalizedKey);
      throw e;
    }
    if (response.getStatus() >= 500) {
      release(normalizedKey);
    } else {
      finish(normalizedKey, response);
    }
    return response;
  }

  /** The key in canonical (lower-case) form; 400 unless it is a UUID string. */
  static String requireUuid(String key) {
    if (!UUID_STRING.matcher(key).matches()) {
      throw new BadRequestException(
          "Invalid %s header: must be a UUID string such as 017f22e2-79b0-7cc3-98c4-dc0c0c07398f",
          HEADER);
    }
    return key.toLowerCase(Locale.ROOT);
  }

  private Claim claim(String key, String operation) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      Instant now = clock.instant();
      Claim claim = store.claim(key, operation, now, now.plus(lifetime));
      if (!claim.inProgress()) {
        return claim;
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new ServiceUnavailableException(
            "A request with the same %s is still in progress", HEADER);
      }
      pause();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(POLL_INTERVAL);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServiceUnavailableException("Interrupted while waiting for an idempotent request");
    }
  }

  private static Response replay(FinalResponse stored) {
    if (stored.body() == null || stored.body().isEmpty()) {
      return Response.status(stored.status()).build();
    }
    return Response.status(stored.status())
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(stored.body().getBytes(StandardCharsets.UTF_8))
        .build();
  }

  // The request's effect is done; failing to record it must not turn its response into an error.
  // The claim then stays open until it expires, and retries meanwhile get 503.
  private void finish(String key, Response response) {
    byte[] body =
        response.getEntity() instanceof TableResponses.Rendered rendered
            ? rendered.body()
            : (byte[]) response.getEntity();
    String stored = body == null ? "" : new String(body, StandardCharsets.UTF_8);
    try {
      store.finish(key, new FinalResponse(response.getStatus(), stored));
    } catch (RuntimeException e) {
      LOG.warn("Could not record the response of idempotent request {}", key, e);
    }
  }

  private void release(String key) {
    try {
      store.release(key);
    } catch (RuntimeException e) {
      LOG.warn("Could not release idempotency key {}", key, e);
    }
  }
}
