package io.bingsan.ports.out;

import java.util.List;

/**
 * One page of a listing in the store's sort order.
 *
 * @param items the items, at most the requested limit
 * @param lastKey the sort key of the last item when more items may follow, else null
 */
public record Page<T>(List<T> items, String lastKey) {
  public Page {
    items = List.copyOf(items);
  }
}
