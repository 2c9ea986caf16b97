package io.bingsan.domain.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.BadRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CatalogNamesTest {

  static Stream<Arguments> invalidNamespaces() {
    return Stream.of(
        Arguments.of("empty", Namespace.empty()),
        Arguments.of("null", null),
        Arguments.of("too deep", Namespace.of(levels(CatalogNames.MAX_NAMESPACE_DEPTH + 1))),
        Arguments.of("empty level", Namespace.of("a", "")),
        Arguments.of("level too long", Namespace.of("x".repeat(CatalogNames.MAX_NAME_LENGTH + 1))),
        Arguments.of("control character", Namespace.of("a\nb")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidNamespaces")
  void invalidNamespacesAreBadRequests(String name, Namespace namespace) {
    assertThatThrownBy(() -> CatalogNames.requireValid(namespace))
        .isInstanceOf(BadRequestException.class);
  }

  static Stream<Arguments> validNamespaces() {
    return Stream.of(
        Arguments.of("one level", Namespace.of("a")),
        Arguments.of("deepest", Namespace.of(levels(CatalogNames.MAX_NAMESPACE_DEPTH))),
        Arguments.of("longest level", Namespace.of("x".repeat(CatalogNames.MAX_NAME_LENGTH))),
        Arguments.of("unicode and punctuation", Namespace.of("Äpfel", "données-2024", "a b.c")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validNamespaces")
  void validNamespacesPass(String name, Namespace namespace) {
    assertThat(CatalogNames.requireValid(namespace)).isSameAs(namespace);
  }

  static Stream<Arguments> invalidIdentifiers() {
    return Stream.of(
        Arguments.of("null", null),
        Arguments.of("no namespace", TableIdentifier.of(Namespace.empty(), "t")),
        Arguments.of("name too long", TableIdentifier.of(Namespace.of("ns"), "t".repeat(256))),
        Arguments.of("tab in name", TableIdentifier.of(Namespace.of("ns"), "a\tb")),
        Arguments.of("bad namespace", TableIdentifier.of(Namespace.of("ns", "\u007f"), "t")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidIdentifiers")
  void invalidIdentifiersAreBadRequests(String name, TableIdentifier identifier) {
    assertThatThrownBy(() -> CatalogNames.requireValid(identifier))
        .isInstanceOf(BadRequestException.class);
  }

  @Test
  void validIdentifierPasses() {
    TableIdentifier identifier = TableIdentifier.of(Namespace.of("ns", "sub"), "Orders_2024");

    assertThat(CatalogNames.requireValid(identifier)).isSameAs(identifier);
  }

  private static String[] levels(int count) {
    String[] levels = new String[count];
    for (int i = 0; i < count; i++) {
      levels[i] = "l" + i;
    }
    return levels;
  }
}
