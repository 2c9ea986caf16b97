package io.bingsan.adapters.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.rest.RESTUtil;
import org.junit.jupiter.api.Test;

class IdentifiersTest {

  @Test
  void pathLevelsAreSplitOnTheEncodedSeparatorInEitherCase() {
    assertThat(Identifiers.namespaceFromPath("a%1Fb%1fc")).isEqualTo(Namespace.of("a", "b", "c"));
  }

  @Test
  void dotsAreNeverSeparators() {
    assertThat(Identifiers.namespaceFromPath("a.b%1Fc.d")).isEqualTo(Namespace.of("a.b", "c.d"));
    assertThat(Identifiers.namespaceFromQuery("a.b")).isEqualTo(Namespace.of("a.b"));
  }

  @Test
  void levelsAreDecodedAfterSplittingAsIcebergsClientEncodesThem() {
    Namespace namespace = Namespace.of("my db", "x/y", "100%", "a+b", "%1F");

    String encoded = RESTUtil.encodeNamespace(namespace, Identifiers.NAMESPACE_SEPARATOR);

    assertThat(encoded).contains("my+db", "x%2Fy", "%251F");
    assertThat(Identifiers.namespaceFromPath(encoded)).isEqualTo(namespace);
  }

  @Test
  void percentTwentyIsASpaceToo() {
    assertThat(Identifiers.namespaceFromPath("my%20db")).isEqualTo(Namespace.of("my db"));
  }

  @Test
  void identifiersDecodeTheNameLikeTheLevels() {
    TableIdentifier identifier = TableIdentifier.of(Namespace.of("a", "b.c"), "Sales Q1+Q2");

    TableIdentifier parsed =
        Identifiers.identifier(
            RESTUtil.encodeNamespace(identifier.namespace(), Identifiers.NAMESPACE_SEPARATOR),
            RESTUtil.encodeString(identifier.name()));

    assertThat(parsed).isEqualTo(identifier);
    assertThat(parsed.name()).isEqualTo("Sales Q1+Q2");
  }

  @Test
  void queryParentsAreSplitOnTheDecodedSeparator() {
    String parent = RESTUtil.namespaceToQueryParam(Namespace.of("a.b", "c"));

    assertThat(Identifiers.namespaceFromQuery(parent)).isEqualTo(Namespace.of("a.b", "c"));
  }

  @Test
  void anAbsentOrEmptyParentIsTheTopLevel() {
    assertThat(Identifiers.namespaceFromQuery(null)).isEqualTo(Namespace.empty());
    assertThat(Identifiers.namespaceFromQuery("")).isEqualTo(Namespace.empty());
  }

  @Test
  void casingIsKept() {
    assertThat(Identifiers.identifier("Sales%1FEU", "Orders"))
        .isEqualTo(TableIdentifier.of("Sales", "EU", "Orders"));
  }

  @Test
  void parametersWithNothingEncodedAreTakenAsTheyAre() {
    assertThat(Identifiers.identifier("db.v1-x_Y~", "t.1"))
        .isEqualTo(TableIdentifier.of(Namespace.of("db.v1-x_Y~"), "t.1"));
  }

  @Test
  void malformedPercentEncodingIsABadRequest() {
    assertThatThrownBy(() -> Identifiers.namespaceFromPath("a%zz"))
        .isInstanceOf(BadRequestException.class);
  }
}
