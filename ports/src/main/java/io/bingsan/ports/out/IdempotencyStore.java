package io.bingsan.ports.out;

import java.time.Instant;
import java.util.Optional;

/** Durable records of idempotent requests, so that a retried request replays its first result. */
public interface IdempotencyStore {

  /**
   * The final response of a request.
   *
   * @param status the HTTP status
   * @param body the response body, empty for none
   */
  record FinalResponse(int status, String body) {}

  /** What {@link #claim} found. Exactly one of the fields is set. */
  record Claim(boolean claimed, FinalResponse finished, boolean inProgress) {
    public static Claim ownedByCaller() {
      return new Claim(true, null, false);
    }

    public static Claim finished(FinalResponse response) {
      return new Claim(false, response, false);
    }

    public static Claim busy() {
      return new Claim(false, null, true);
    }
  }

  /**
   * Claims a key for a request, unless an unexpired record holds it.
   *
   * @param operation what the request does (method and route); a key reused for another operation
   *     is refused
   * @throws IllegalArgumentException when the key was used for a different operation
   */
  Claim claim(String key, String operation, Instant now, Instant expiresAt);

  /** Records the final response of a claimed key. */
  void finish(String key, FinalResponse response);

  /** Gives a claimed key up (after a 5xx, which is never replayed). */
  void release(String key);

  /** Deletes expired records; returns how many. */
  int deleteExpired(Instant now);
}
