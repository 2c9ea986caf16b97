package io.bingsan.adapters.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bingsan.ports.out.IdempotencyStore.FinalResponse;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.ServiceUnavailableException;
import org.apache.iceberg.rest.Endpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdempotencyTest {
  private static final String KEY = "017f22e2-79b0-7cc3-98c4-dc0c0c07398f";
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private final InMemoryIdempotencyStore store = new InMemoryIdempotencyStore();
  private final AtomicInteger runs = new AtomicInteger();

  @Test
  void withoutAKeyTheRequestSimplyRuns() {
    Response response = idempotency(Duration.ZERO).run(null, Endpoint.V1_CREATE_NAMESPACE, ok("a"));

    assertThat(response.getStatus()).isEqualTo(200);
    assertThat(runs).hasValue(1);
    assertThat(store.claims()).isZero();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "not-a-uuid",
        "017f22e2-79b0-7cc3-98c4-dc0c0c07398",
        "017f22e279b07cc398c4dc0c0c07398f",
        "{017f22e2-79b0-7cc3-98c4-dc0c0c07398f}",
        "1-1-1-1-1",
        "017f22e2-79b0-7cc3-98c4-dc0c0c07398g"
      })
  void aKeyMustBeAUuidString(String key) {
    assertThatThrownBy(() -> idempotency(Duration.ZERO).run(key, Endpoint.V1_CREATE_NAMESPACE, ok("a")))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("Idempotency-Key");
    assertThat(runs).hasValue(0);
    assertThat(store.claims()).isZero();
  }

  @Test
  void keysAreCanonicalisedToLowerCase() {
    assertThat(Idempotency.requireUuid(KEY.toUpperCase())).isEqualTo(KEY);
  }

  @Test
  void aFinishedRequestIsReplayedExactlyWithoutRunningAgain() {
    Idempotency idempotency = idempotency(Duration.ZERO);
    Response first = idempotency.run(KEY, Endpoint.V1_CREATE_NAMESPACE, ok("{\"a\":1}"));

    Response replay =
        idempotency.run(KEY.toUpperCase(), Endpoint.V1_CREATE_NAMESPACE, ok("{\"b\":2}"));

    assertThat(runs).hasValue(1);
    assertThat(replay.getStatus()).isEqualTo(first.getStatus());
    assertThat(replay.getMediaType()).isEqualTo(MediaType.APPLICATION_JSON_TYPE);
    assertThat(body(replay)).isEqualTo("{\"a\":1}");
  }

  @Test
  void aResponseWithoutBodyReplaysWithoutBody() {
    Idempotency idempotency = idempotency(Duration.ZERO);
    Supplier<Response> drop =
        () -> {
          runs.incrementAndGet();
          return Response.noContent().build();
        };
    idempotency.run(KEY, Endpoint.V1_DELETE_NAMESPACE, drop);

    Response replay = idempotency.run(KEY, Endpoint.V1_DELETE_NAMESPACE, drop);

    assertThat(runs).hasValue(1);
    assertThat(replay.getStatus()).isEqualTo(204);
    assertThat(replay.hasEntity()).isFalse();
  }

  @Test
  void clientErrorsAreFinalAndReplayed() {
    Idempotency idempotency = idempotency(Duration.ZERO);
    Supplier<Response> conflict =
        () -> {
          runs.incrementAndGet();
          throw new AlreadyExistsException("Namespace already exists: a");
        };

    Response first = idempotency.run(KEY, Endpoint.V1_CREATE_NAMESPACE, conflict);
    Response replay = idempotency.run(KEY, Endpoint.V1_CREATE_NAMESPACE, conflict);

    assertThat(runs).hasValue(1);
    assertThat(first.getStatus()).isEqualTo(409);
    assertThat(replay.getStatus()).isEqualTo(409);
    assertThat(body(replay)).isEqualTo(body(first)).contains("AlreadyExistsException");
  }

  @Test
  void serverErrorsGiveTheKeyBack() {
    Idempotency idempotency = idempotency(Duration.ZERO);
    Response failed =
        idempotency.run(
            KEY,
            Endpoint.V1_UPDATE_TABLE,
            () -> {
              runs.incrementAndGet();
              throw new CommitStateUnknownException(new RuntimeException("lost connection"));
            });

    Response retried = idempotency.run(KEY, Endpoint.V1_UPDATE_TABLE, ok("{}"));

    assertThat(failed.getStatus()).isEqualTo(500);
    assertThat(retried.getStatus()).isEqualTo(200);
    assertThat(runs).hasValue(2);
  }

  @Test
  void aKeyReusedOnAnotherRouteIsRefused() {
    Idempotency idempotency = idempotency(Duration.ZERO);
    idempotency.run(KEY, Endpoint.V1_CREATE_NAMESPACE, ok("{}"));

    assertThatThrownBy(() -> idempotency.run(KEY, Endpoint.V1_DELETE_NAMESPACE, ok("{}")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(runs).hasValue(1);
  }

  @Test
  void aRetryWhileTheFirstRequestRunsWaitsThenGets503() {
    store.claim(KEY, Endpoint.V1_CREATE_NAMESPACE.toString(), NOW, NOW.plusSeconds(60));

    assertThatThrownBy(
            () ->
                idempotency(Duration.ofMillis(120))
                    .run(KEY, Endpoint.V1_CREATE_NAMESPACE, ok("{}")))
        .isInstanceOf(ServiceUnavailableException.class);
    assertThat(runs).hasValue(0);
    assertThat(store.claims()).as("polled again before giving up").isGreaterThanOrEqualTo(2);
  }

  @Test
  void aRetryWhileTheFirstRequestRunsGetsItsResponseOnceFinished() throws Exception {
    store.claim(KEY, Endpoint.V1_CREATE_NAMESPACE.toString(), NOW, NOW.plusSeconds(60));
    CompletableFuture<Void> firstFinishes =
        CompletableFuture.runAsync(
            () -> store.finish(KEY, new FinalResponse(200, "{\"first\":true}")),
            CompletableFuture.delayedExecutor(150, TimeUnit.MILLISECONDS));

    Response replay =
        idempotency(Duration.ofSeconds(10)).run(KEY, Endpoint.V1_CREATE_NAMESPACE, ok("{}"));

    firstFinishes.get();
    assertThat(runs).hasValue(0);
    assertThat(body(replay)).isEqualTo("{\"first\":true}");
  }

  private Idempotency idempotency(Duration wait) {
    return new Idempotency(
        store,
        new IcebergExceptionMapper(),
        Clock.fixed(NOW, ZoneOffset.UTC),
        Duration.ofMinutes(30),
        wait);
  }

  private Supplier<Response> ok(String json) {
    return () -> {
      runs.incrementAndGet();
      return Response.ok(json.getBytes(StandardCharsets.UTF_8), MediaType.APPLICATION_JSON_TYPE)
          .build();
    };
  }

  private static String body(Response response) {
    return new String((byte[]) response.getEntity(), StandardCharsets.UTF_8);
  }
}
