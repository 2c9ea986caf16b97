package io.bingsan.adapters.rest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.iceberg.RetryableValidationException;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.NamespaceNotEmptyException;
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
import org.apache.iceberg.rest.responses.ErrorResponse;
import org.apache.iceberg.rest.responses.ErrorResponseParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one exception mapper: every failure becomes the spec's {@code ErrorModel}. The type is the
 * name Iceberg's client switches on (a subclass reports its rule's class, so {@code
 * NoSuchIcebergTableException} stays a {@code NoSuchTableException}). Server errors carry a generic
 * message and an id to find the logged exception; their details never reach the client.
 */
public final class IcebergExceptionMapper implements ExceptionMapper<Throwable> {
  private static final Logger LOG = LoggerFactory.getLogger(IcebergExceptionMapper.class);

  private record Rule(Class<? extends Throwable> type, int status) {}

  // First match wins: subclasses before their parents (RetryableValidationException is a
  // ValidationException, but a conflict for the client).
  private static final List<Rule> RULES =
      List.of(
          new Rule(NoSuchNamespaceException.class, 404),
          new Rule(NoSuchTableException.class, 404),
          new Rule(NoSuchViewException.class, 404),
          new Rule(NoSuchWarehouseException.class, 404),
          new Rule(NotFoundException.class, 404),
          new Rule(NamespaceNotEmptyException.class, 409),
          new Rule(AlreadyExistsException.class, 409),
          new Rule(CommitFailedException.class, 409),
          new Rule(RetryableValidationException.class, 409),
          new Rule(UnprocessableEntityException.class, 422),
          new Rule(BadRequestException.class, 400),
          new Rule(ValidationException.class, 400),
          new Rule(IllegalArgumentException.class, 400),
          new Rule(NotAuthorizedException.class, 401),
          new Rule(ForbiddenException.class, 403),
          new Rule(UnsupportedOperationException.class, 406),
          new Rule(ServiceUnavailableException.class, 503),
          new Rule(CommitStateUnknownException.class, 500));

  @Override
  public Response toResponse(Throwable exception) {
    if (exception instanceof WebApplicationException web) {
      return fromJersey(web);
    }
    for (Rule rule : RULES) {
      if (rule.type().isInstance(exception)) {
        return error(rule.status(), rule.type().getSimpleName(), exception);
      }
    }
    return error(500, ServiceFailureException.class.getSimpleName(), exception);
  }

  /** Jersey's own failures (no such route, method not allowed, 413 from the body reader, …). */
  private static Response fromJersey(WebApplicationException exception) {
    int status = exception.getResponse().getStatus();
    if (status < 400) {
      return exception.getResponse();
    }
    return error(status, exception.getClass().getSimpleName(), exception);
  }

  private static Response error(int status, String type, Throwable exception) {
    String message;
    if (status >= 500) {
      String errorId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
      LOG.error("Request failed with {} {} (error id {})", status, type, errorId, exception);
      message = serverErrorMessage(type) + " (error id " + errorId + ")";
    } else {
      LOG.debug("Request rejected with {} {}", status, type, exception);
      message = exception.getMessage() != null ? exception.getMessage() : type;
    }
    ErrorResponse body =
        ErrorResponse.builder().responseCode(status).withType(type).withMessage(message).build();
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(ErrorResponseParser.toJson(body).getBytes(StandardCharsets.UTF_8))
        .build();
  }

  private static String serverErrorMessage(String type) {
    if (type.equals(CommitStateUnknownException.class.getSimpleName())) {
      return "Commit state unknown: the commit may or may not have been applied";
    }
    if (type.equals(ServiceUnavailableException.class.getSimpleName())) {
      return "Service unavailable, retry later";
    }
    return "Internal server error";
  }
}
