package io.bingsan.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.util.DataSize;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CatalogFactoryTest {

  @ParameterizedTest(name = "{0} MiB of heap: {1} KiB per cache")
  @CsvSource({
    // A 512 MiB container's default heap, a quarter of it.
    "128, 8192",
    "256, 16384",
    // This machine's default heap (a quarter of 23 GiB) is past the cap.
    "6000, 16384",
    // The floor: a cache too small to hold one large table is no cache.
    "8, 1024"
  })
  void cachesLeftUnsetTakeASixteenthOfTheHeapWithinBounds(long heapMib, long expectedKib) {
    assertThat(CatalogFactory.sizedToHeap(heapMib << 20).toKibibytes()).isEqualTo(expectedKib);
  }

  @Test
  void configuredSizesWinAndUnsetOnesFollowThisJvmsHeap() {
    CatalogFactory catalog = new CatalogFactory();
    catalog.setResponseCacheSize(DataSize.mebibytes(3));

    assertThat(catalog.getResponseCacheSize()).isEqualTo(DataSize.mebibytes(3));
    assertThat(catalog.getMetadataCacheSize())
        .isEqualTo(CatalogFactory.sizedToHeap(Runtime.getRuntime().maxMemory()));
  }
}
