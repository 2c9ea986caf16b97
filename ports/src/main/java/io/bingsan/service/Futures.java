package io.bingsan.service;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Results that one thread computes for others waiting on them. */
public final class Futures {
  private Futures() {}

  /** The result, or the failure as the thread that computed it got it. */
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
