package io.bingsan.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bingsan.ports.out.Page;
import io.bingsan.ports.out.PageRequest;
import java.util.List;
import java.util.Random;
import org.apache.iceberg.exceptions.BadRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PagingTest {

  @Test
  void withoutATokenEverythingIsReturned() {
    assertThat(Paging.request(null, null)).isEqualTo(PageRequest.ALL);
    // The spec: pageSize alone does not start paging.
    assertThat(Paging.request(null, 10)).isEqualTo(PageRequest.ALL);
  }

  @Test
  void emptyTokenStartsTheFirstPage() {
    assertThat(Paging.request("", null)).isEqualTo(new PageRequest(null, Paging.DEFAULT_PAGE_SIZE));
    assertThat(Paging.request("", 7)).isEqualTo(new PageRequest(null, 7));
  }

  @ParameterizedTest(name = "pageSize {0}")
  @ValueSource(ints = {Paging.MAX_PAGE_SIZE, Paging.MAX_PAGE_SIZE + 1, Integer.MAX_VALUE})
  void pageSizeIsBounded(int pageSize) {
    assertThat(Paging.request("", pageSize).limit()).isEqualTo(Paging.MAX_PAGE_SIZE);
  }

  @ParameterizedTest(name = "pageSize {0}")
  @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
  void nonPositivePageSizeIsABadRequest(int pageSize) {
    assertThatThrownBy(() -> Paging.request("", pageSize)).isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> Paging.request(null, pageSize))
        .isInstanceOf(BadRequestException.class);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"!!", "a", "ab=cd", "not a token", "%2F"})
  void malformedTokenIsABadRequest(String token) {
    assertThatThrownBy(() -> Paging.request(token, 10)).isInstanceOf(BadRequestException.class);
  }

  @Test
  void lastPageHasNoNextToken() {
    assertThat(Paging.nextToken(new Page<>(List.of("x"), null))).isNull();
  }

  /** Property-style: any sort key survives the trip through a token, and tokens are URL-safe. */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {31, 32, 33})
  void tokenCarriesTheLastKey(long seed) {
    Random random = new Random(seed);
    for (int i = 0; i < 500; i++) {
      String key = randomKey(random);

      String token = Paging.nextToken(new Page<>(List.of("x"), key));

      assertThat(token).matches("[A-Za-z0-9_-]*");
      assertThat(Paging.request(token, 5)).isEqualTo(new PageRequest(key, 5));
    }
  }

  private static String randomKey(Random random) {
    StringBuilder key = new StringBuilder();
    int length = 1 + random.nextInt(40);
    for (int i = 0; i < length; i++) {
      int kind = random.nextInt(4);
      key.appendCodePoint(
          switch (kind) {
            case 0 -> 'a' + random.nextInt(26);
            case 1 -> 0x1F + random.nextInt(0x60); // punctuation, including '/', '+', '=' and US
            case 2 -> 0xC0 + random.nextInt(0x2000); // accented and other BMP letters
            default -> 0x1F600 + random.nextInt(0x50); // outside the BMP
          });
    }
    return key.toString();
  }
}
