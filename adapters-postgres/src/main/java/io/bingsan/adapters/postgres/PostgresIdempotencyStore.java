package io.bingsan.adapters.postgres;

import static java.util.Objects.requireNonNull;

import io.bingsan.ports.out.IdempotencyStore;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;

/** Idempotency records in PostgreSQL; a claim is one atomic upsert. */
public final class PostgresIdempotencyStore implements IdempotencyStore {
  private final Database database;

  public PostgresIdempotencyStore(Jdbi jdbi) {
    this.database = new Database(requireNonNull(jdbi, "jdbi is null"));
  }

  /** The record a claim found held by someone else. */
  private record Holder(String operation, Integer status, String body) {}

  @Override
  public Claim claim(String key, String operation, Instant now, Instant expiresAt) {
    requireNonNull(key, "key is null");
    requireNonNull(operation, "operation is null");
    return database.inTransaction(
        handle -> {
          // Inserts a fresh record or takes over an expired one. Either way the row is locked
          // until commit, so it cannot vanish before it is read below.
          boolean claimed =
              handle
                  .createQuery(
                      "INSERT INTO idempotency_records AS r"
                          + " (key, operation, status, body, created_at, expires_at)"
                          + " VALUES (:key, :operation, NULL, NULL, :now, :expiresAt)"
                          + " ON CONFLICT (key) DO UPDATE SET operation = excluded.operation,"
                          + " status = NULL, body = NULL, created_at = excluded.created_at,"
                          + " expires_at = excluded.expires_at"
                          + " WHERE r.expires_at <= :now"
                          + " RETURNING key")
                  .bind("key", key)
                  .bind("operation", operation)
                  .bind("now", SqlValues.timestamp(now))
                  .bind("expiresAt", SqlValues.timestamp(expiresAt))
                  .mapTo(String.class)
                  .findOne()
                  .isPresent();
          if (claimed) {
            return Claim.ownedByCaller();
          }
          Holder holder =
              handle
                  .createQuery(
                      "SELECT operation, status, body FROM idempotency_records WHERE key = :key")
                  .bind("key", key)
                  .map(
                      (row, context) ->
                          new Holder(
                              row.getString("operation"),
                              row.getObject("status", Integer.class),
                              row.getString("body")))
                  .one();
          if (!holder.operation().equals(operation)) {
            throw new IllegalArgumentException(
                "Idempotency key " + key + " was already used for " + holder.operation());
          }
          return holder.status() == null
              ? Claim.busy()
              : Claim.finished(
                  new FinalResponse(holder.status(), holder.body() == null ? "" : holder.body()));
        });
  }

  @Override
  public void finish(String key, FinalResponse response) {
    requireNonNull(response, "response is null");
    database.inTransaction(
        handle ->
            handle
                .createUpdate(
                    "UPDATE idempotency_records SET status = :status, body = :body"
                        + " WHERE key = :key AND status IS NULL")
                .bind("status", response.status())
                .bind("body", response.body())
                .bind("key", key)
                .execute());
  }

  @Override
  public void release(String key) {
    database.inTransaction(
        handle ->
            handle
                .createUpdate("DELETE FROM idempotency_records WHERE key = :key AND status IS NULL")
                .bind("key", key)
                .execute());
  }

  @Override
  public int deleteExpired(Instant now) {
    return database.inTransaction(
        handle ->
            handle
                .createUpdate("DELETE FROM idempotency_records WHERE expires_at <= :now")
                .bind("now", SqlValues.timestamp(now))
                .execute());
  }
}
