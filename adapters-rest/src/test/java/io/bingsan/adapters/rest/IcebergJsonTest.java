package io.bingsan.adapters.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.ws.rs.ClientErrorException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.UnprocessableEntityException;
import org.apache.iceberg.rest.requests.CreateNamespaceRequest;
import org.apache.iceberg.rest.requests.CreateTableRequest;
import org.apache.iceberg.rest.requests.UpdateNamespacePropertiesRequest;
import org.apache.iceberg.rest.responses.LoadTableResponse;
import org.apache.iceberg.rest.responses.LoadTableResponseParser;
import org.junit.jupiter.api.Test;

class IcebergJsonTest {
  private final IcebergJson json = new IcebergJson(1024);

  @Test
  void loadTableResponseRoundTripsThroughIcebergsParser() {
    TableMetadata metadata = TestTables.withTwoSnapshots("file:/tmp/t/metadata/00001-a.metadata.json");
    byte[] body =
        new IcebergJson(1 << 20)
            .write(LoadTableResponse.builder().withTableMetadata(metadata).build());

    LoadTableResponse parsed =
        LoadTableResponseParser.fromJson(new String(body, StandardCharsets.UTF_8));

    assertThat(parsed.metadataLocation()).isEqualTo(metadata.metadataFileLocation());
    assertThat(TableMetadataParser.toJson(parsed.tableMetadata()))
        .isEqualTo(TableMetadataParser.toJson(metadata));
    assertThat(new String(body, StandardCharsets.UTF_8))
        .startsWith("{\"metadata-location\":\"file:/tmp/t/metadata/00001-a.metadata.json\"")
        .doesNotContain("\"config\"");
  }

  @Test
  void readsRequestsInKebabCaseWithIcebergsDeserializers() {
    CreateTableRequest request =
        json.readRequest(
            body(
                """
                {"name": "t", "stage-create": true, "unknown-field": 1,
                 "schema": {"type": "struct", "schema-id": 0,
                            "fields": [{"id": 1, "name": "id", "required": true, "type": "long"}]}}
                """),
            CreateTableRequest.class);

    assertThat(request.name()).isEqualTo("t");
    assertThat(request.stageCreate()).isTrue();
    assertThat(request.schema().findField("id")).isNotNull();
  }

  @Test
  void readsNamespacesAsArrays() {
    CreateNamespaceRequest request =
        json.readRequest(body("{\"namespace\": [\"a.b\", \"c\"]}"), CreateNamespaceRequest.class);

    assertThat(request.namespace()).isEqualTo(Namespace.of("a.b", "c"));
  }

  @Test
  void malformedJsonIsABadRequest() {
    assertThatThrownBy(() -> json.readRequest(body("{\"namespace\": ["), CreateNamespaceRequest.class))
        .isInstanceOf(BadRequestException.class)
        .hasMessageStartingWith("Malformed JSON request body");
  }

  @Test
  void wrongShapeIsABadRequest() {
    assertThatThrownBy(() -> json.readRequest(body("{\"namespace\": 7}"), CreateNamespaceRequest.class))
        .isInstanceOf(BadRequestException.class);
  }

  @Test
  void aRequestFailingValidationIsABadRequest() {
    assertThatThrownBy(() -> json.readRequest(body("{}"), CreateNamespaceRequest.class))
        .isInstanceOf(BadRequestException.class)
        .hasMessage("Invalid request: Invalid namespace: null");
  }

  @Test
  void icebergsOwnValidationExceptionsPassThrough() {
    assertThatThrownBy(
            () ->
                json.readRequest(
                    body("{\"updates\": {\"a\": \"1\"}, \"removals\": [\"a\"]}"),
                    UpdateNamespacePropertiesRequest.class))
        .isInstanceOf(UnprocessableEntityException.class);
  }

  @Test
  void anEmptyOrNullBodyIsABadRequest() {
    assertThatThrownBy(() -> json.readRequest(body(""), CreateNamespaceRequest.class))
        .isInstanceOf(BadRequestException.class)
        .hasMessage("Request body is required");
    assertThatThrownBy(() -> json.readRequest(body("null"), CreateNamespaceRequest.class))
        .isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> json.readTree(body("null")))
        .isInstanceOf(BadRequestException.class);
  }

  @Test
  void aBodyOverTheLimitIsRefusedWith413() {
    String large = "{\"namespace\": [\"" + "x".repeat(1024) + "\"]}";

    assertThatThrownBy(() -> json.readRequest(body(large), CreateNamespaceRequest.class))
        .isInstanceOfSatisfying(
            ClientErrorException.class,
            e -> assertThat(e.getResponse().getStatus()).isEqualTo(413));
  }

  private static InputStream body(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }
}
