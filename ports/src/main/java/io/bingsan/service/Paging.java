package io.bingsan.service;

import io.bingsan.ports.out.Page;
import io.bingsan.ports.out.PageRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.iceberg.exceptions.BadRequestException;

/**
 * The spec's pagination: without a {@code pageToken} a listing returns every result; with one
 * (empty to start) it returns pages of {@code pageSize}. Tokens carry the last sort key returned,
 * so pages stay stable while objects are created concurrently.
 */
public final class Paging {
  public static final int DEFAULT_PAGE_SIZE = 100;
  public static final int MAX_PAGE_SIZE = 1_000;

  private Paging() {}

  public static PageRequest request(String pageToken, Integer pageSize) {
    if (pageSize != null && pageSize < 1) {
      throw new BadRequestException("Invalid pageSize: %s, must be positive", pageSize);
    }
    if (pageToken == null) {
      return PageRequest.ALL;
    }
    int limit = pageSize == null ? DEFAULT_PAGE_SIZE : Math.min(pageSize, MAX_PAGE_SIZE);
    return new PageRequest(pageToken.isEmpty() ? null : decode(pageToken), limit);
  }

  /** The token for the page after this one, or null when it was the last. */
  public static String nextToken(Page<?> page) {
    return page.lastKey() == null
        ? null
        : Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(page.lastKey().getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String token) {
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("Invalid pageToken: %s", token);
    }
  }
}
