package io.bingsan.service;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Results that one request computes for others waiting on the same thing. */
public final class Futures {
  private Futures() {}

  /** The result, or the failure as the request that computed it got it. */
  public static <T> T join(CompletableFuture<T> shared) {
    try {
      return shared.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw e;
    }
  }
}
