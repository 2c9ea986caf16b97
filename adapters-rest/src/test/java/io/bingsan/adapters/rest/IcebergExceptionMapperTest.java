package io.bingsan.adapters.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.RedirectionException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.stream.Stream;
import org.apache.iceberg.RetryableValidationException;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.NamespaceNotEmptyException;
import org.apache.iceberg.exceptions.NoSuchIcebergTableException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NoSuchViewException;
import org.apache.iceberg.exceptions.NoSuchWarehouseException;
import org.apache.iceberg.exceptions.NotAuthorizedException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.exceptions.ServiceFailureException;
import org.apache.iceberg.exceptions.ServiceUnavailableException;
import org.apache.iceberg.exceptions.UnprocessableEntityException;
import org.apache.iceberg.exceptions.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IcebergExceptionMapperTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final IcebergExceptionMapper mapper = new IcebergExceptionMapper();

  static Stream<Arguments> clientErrors() {
    return Stream.of(
        Arguments.of(new NoSuchNamespaceException("ns"), 404, "NoSuchNamespaceException"),
        Arguments.of(new NoSuchTableException("t"), 404, "NoSuchTableException"),
        Arguments.of(new NoSuchIcebergTableException("t"), 404, "NoSuchTableException"),
        Arguments.of(new NoSuchViewException("v"), 404, "NoSuchViewException"),
        Arguments.of(new NoSuchWarehouseException("w"), 404, "NoSuchWarehouseException"),
        Arguments.of(new NotFoundException("f"), 404, "NotFoundException"),
        Arguments.of(new AlreadyExistsException("e"), 409, "AlreadyExistsException"),
        Arguments.of(new NamespaceNotEmptyException("n"), 409, "NamespaceNotEmptyException"),
        Arguments.of(new CommitFailedException("c"), 409, "CommitFailedException"),
        Arguments.of(new RetryableValidationException("r"), 409, "RetryableValidationException"),
        Arguments.of(new UnprocessableEntityException("u"), 422, "UnprocessableEntityException"),
        Arguments.of(new BadRequestException("b"), 400, "BadRequestException"),
        Arguments.of(new ValidationException("v"), 400, "ValidationException"),
        Arguments.of(new IllegalArgumentException("i"), 400, "IllegalArgumentException"),
        Arguments.of(new NumberFormatException("n"), 400, "IllegalArgumentException"),
        Arguments.of(new NotAuthorizedException("a"), 401, "NotAuthorizedException"),
        Arguments.of(new ForbiddenException("f"), 403, "ForbiddenException"),
        Arguments.of(new UnsupportedOperationException("u"), 406, "UnsupportedOperationException"),
        Arguments.of(new jakarta.ws.rs.NotFoundException("HTTP 404 Not Found"), 404, "NotFoundException"),
        Arguments.of(new NotAllowedException("HTTP 405", "GET", new String[] {"POST"}), 405, "NotAllowedException"),
        Arguments.of(new NotAcceptableException("HTTP 406"), 406, "NotAcceptableException"),
        Arguments.of(new NotSupportedException("HTTP 415"), 415, "NotSupportedException"),
        Arguments.of(
            new ClientErrorException("too large", Response.Status.REQUEST_ENTITY_TOO_LARGE),
            413,
            "ClientErrorException"));
  }

  @ParameterizedTest
  @MethodSource("clientErrors")
  void clientErrorsCarryTheirTypeAndMessage(Exception exception, int status, String type) {
    Response response = mapper.toResponse(exception);

    assertThat(response.getStatus()).isEqualTo(status);
    assertThat(response.getMediaType()).isEqualTo(MediaType.APPLICATION_JSON_TYPE);
    JsonNode error = errorOf(response);
    assertThat(error.get("code").asInt()).isEqualTo(status);
    assertThat(error.get("type").asText()).isEqualTo(type);
    assertThat(error.get("message").asText()).isEqualTo(exception.getMessage());
    assertThat(error.has("stack")).isFalse();
  }

  static Stream<Arguments> serverErrors() {
    return Stream.of(
        Arguments.of(
            new CommitStateUnknownException(new RuntimeException("password=hunter2")),
            500,
            "CommitStateUnknownException"),
        Arguments.of(
            new ServiceUnavailableException("db host secret-db:5432 down"),
            503,
            "ServiceUnavailableException"),
        Arguments.of(new ServiceFailureException("secret"), 500, "ServiceFailureException"),
        Arguments.of(new IllegalStateException("secret"), 500, "ServiceFailureException"),
        Arguments.of(new NullPointerException("secret"), 500, "ServiceFailureException"),
        Arguments.of(new OutOfMemoryError("secret"), 500, "ServiceFailureException"));
  }

  @ParameterizedTest
  @MethodSource("serverErrors")
  void serverErrorsHideTheirDetailsBehindAnErrorId(Throwable exception, int status, String type) {
    Response response = mapper.toResponse(exception);

    assertThat(response.getStatus()).isEqualTo(status);
    JsonNode error = errorOf(response);
    assertThat(error.get("code").asInt()).isEqualTo(status);
    assertThat(error.get("type").asText()).isEqualTo(type);
    assertThat(error.get("message").asText())
        .matches(".*\\(error id [0-9a-f]{8}\\)")
        .doesNotContain("secret", "hunter2");
    assertThat(error.has("stack")).isFalse();
  }

  @Test
  void aNullMessageFallsBackToTheType() {
    JsonNode error = errorOf(mapper.toResponse(new IllegalArgumentException()));

    assertThat(error.get("message").asText()).isEqualTo("IllegalArgumentException");
  }

  @Test
  void jerseyResponsesBelow400PassThrough() {
    Response redirect = Response.status(307).location(URI.create("http://example.com")).build();

    assertThat(mapper.toResponse(new RedirectionException(redirect))).isSameAs(redirect);
  }

  private static JsonNode errorOf(Response response) {
    try {
      JsonNode body = MAPPER.readTree((byte[]) response.getEntity());
      assertThat(body.properties()).hasSize(1);
      return body.get("error");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
