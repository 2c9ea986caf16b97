package io.bingsan.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bingsan.ports.out.IdempotencyStore;
import io.bingsan.ports.out.IdempotencyStore.Claim;
import io.bingsan.ports.out.IdempotencyStore.FinalResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every idempotency store must do. Keys are unique per test, so a store may be shared. */
public abstract class IdempotencyStoreContractTest {
  private static final String CREATE = "POST /v1/namespaces";
  private static final Duration LIFETIME = Duration.ofHours(1);

  protected abstract IdempotencyStore store();

  private IdempotencyStore store;
  private Instant now;

  @BeforeEach
  void setUpStore() {
    store = store();
    now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  @Test
  void theFirstClaimOwnsTheKey() {
    assertThat(claim(key(), CREATE, now)).isEqualTo(Claim.ownedByCaller());
  }

  @Test
  void aKeyInProgressIsBusy() {
    String key = key();
    claim(key, CREATE, now);

    assertThat(claim(key, CREATE, now.plusSeconds(1))).isEqualTo(Claim.busy());
  }

  @Test
  void aFinishedKeyReplaysItsResponse() {
    String created = key();
    String noContent = key();
    claim(created, CREATE, now);
    claim(noContent, CREATE, now);

    store.finish(created, new FinalResponse(200, "{\"namespace\":[\"db\"]}"));
    store.finish(noContent, new FinalResponse(204, ""));

    assertThat(claim(created, CREATE, now.plusSeconds(1)))
        .isEqualTo(Claim.finished(new FinalResponse(200, "{\"namespace\":[\"db\"]}")));
    assertThat(claim(noContent, CREATE, now.plusSeconds(1)))
        .isEqualTo(Claim.finished(new FinalResponse(204, "")));
  }

  @Test
  void aKeyCannotBeReusedForAnotherOperation() {
    String inProgress = key();
    String finished = key();
    claim(inProgress, CREATE, now);
    claim(finished, CREATE, now);
    store.finish(finished, new FinalResponse(200, "{}"));

    assertThatThrownBy(() -> claim(inProgress, "DELETE /v1/namespaces/db", now))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> claim(finished, "DELETE /v1/namespaces/db", now))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(claim(finished, CREATE, now))
        .isEqualTo(Claim.finished(new FinalResponse(200, "{}")));
  }

  @Test
  void aReleasedKeyCanBeClaimedAgain() {
    String key = key();
    claim(key, CREATE, now);

    store.release(key);

    assertThat(claim(key, CREATE, now)).isEqualTo(Claim.ownedByCaller());
  }

  @Test
  void onlyClaimedKeysAreFinishedOrReleased() {
    String finished = key();
    String released = key();
    claim(finished, CREATE, now);
    store.finish(finished, new FinalResponse(201, "{}"));
    claim(released, CREATE, now);
    store.release(released);

    store.release(finished);
    store.finish(finished, new FinalResponse(500, "late"));
    store.finish(released, new FinalResponse(200, "never claimed"));

    assertThat(claim(finished, CREATE, now))
        .isEqualTo(Claim.finished(new FinalResponse(201, "{}")));
    assertThat(claim(released, CREATE, now)).isEqualTo(Claim.ownedByCaller());
  }

  @Test
  void anExpiredRecordIsReplaced() {
    String key = key();
    store.claim(key, CREATE, now, now.plusSeconds(1));
    store.finish(key, new FinalResponse(200, "{}"));

    Instant later = now.plusSeconds(2);
    assertThat(store.claim(key, "DELETE /v1/namespaces/db", later, later.plus(LIFETIME)))
        .isEqualTo(Claim.ownedByCaller());
    assertThat(claim(key, "DELETE /v1/namespaces/db", later)).isEqualTo(Claim.busy());
  }

  @Test
  void concurrentClaimsHaveOneOwner() throws Exception {
    String key = key();
    int threads = 16;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Claim>> claims = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        claims.add(
            pool.submit(
                () -> {
                  start.await();
                  return claim(key, CREATE, now);
                }));
      }
      start.countDown();
      List<Claim> outcomes = new ArrayList<>();
      for (Future<Claim> claim : claims) {
        outcomes.add(claim.get(1, TimeUnit.MINUTES));
      }

      assertThat(outcomes).containsOnlyOnce(Claim.ownedByCaller());
      assertThat(outcomes).filteredOn(Claim::inProgress).hasSize(threads - 1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void expiredRecordsAreDeleted() {
    // Long past, so that no other test's records expire by then.
    Instant past = Instant.parse("1990-01-01T00:00:00Z");
    String expired = key();
    String expiredFinished = key();
    String live = key();
    store.claim(expired, CREATE, past, past.plusSeconds(1));
    store.claim(expiredFinished, CREATE, past, past.plusSeconds(2));
    store.finish(expiredFinished, new FinalResponse(200, "{}"));
    store.claim(live, CREATE, past, past.plus(LIFETIME));

    Instant cleanup = past.plusSeconds(10);
    assertThat(store.deleteExpired(cleanup)).isGreaterThanOrEqualTo(2);
    assertThat(store.deleteExpired(cleanup)).isZero();
    assertThat(store.claim(live, CREATE, cleanup, cleanup.plus(LIFETIME))).isEqualTo(Claim.busy());
    assertThat(store.claim(expiredFinished, CREATE, cleanup, cleanup.plus(LIFETIME)))
        .isEqualTo(Claim.ownedByCaller());
  }

  private Claim claim(String key, String operation, Instant at) {
    return store.claim(key, operation, at, at.plus(LIFETIME));
  }

  private static String key() {
    return UUID.randomUUID().toString();
  }
}
