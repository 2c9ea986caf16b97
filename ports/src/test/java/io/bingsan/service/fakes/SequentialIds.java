package io.bingsan.service.fakes;

import io.bingsan.ports.out.IdGenerator;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** Predictable ids: 00000000-0000-0000-0000-000000000001, …002, and so on. */
public final class SequentialIds implements IdGenerator {
  private final AtomicLong next = new AtomicLong();

  @Override
  public UUID newId() {
    return new UUID(0, next.incrementAndGet());
  }

  /** How many ids were handed out. */
  public long issued() {
    return next.get();
  }
}
