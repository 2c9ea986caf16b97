package io.bingsan.ports.out;

/**
 * Which part of a listing to return.
 *
 * @param after the sort key of the last item already returned, or null to start at the beginning
 * @param limit most items to return; {@link #UNBOUNDED} for all
 */
public record PageRequest(String after, int limit) {
  public static final int UNBOUNDED = Integer.MAX_VALUE;

  public static final PageRequest ALL = new PageRequest(null, UNBOUNDED);

  public PageRequest {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive");
    }
  }
}
