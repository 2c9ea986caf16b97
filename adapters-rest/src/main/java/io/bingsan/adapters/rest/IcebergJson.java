package io.bingsan.adapters.rest;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.rest.RESTRequest;
import org.apache.iceberg.rest.RESTSerializers;

/**
 * JSON in and out, exactly as Iceberg's Java client writes and reads it: the mapper is configured
 * like iceberg-core's (package-private) {@code RESTObjectMapper}. Request bodies are read here,
 * bounded, rather than by a Jersey provider, so that no other Jackson configuration ever touches
 * Iceberg types.
 */
final class IcebergJson {
  private final ObjectMapper mapper;
  private final long maxRequestBytes;

  IcebergJson(long maxRequestBytes) {
    this.maxRequestBytes = maxRequestBytes;
    JsonFactory factory =
        new JsonFactoryBuilder()
            .configure(JsonFactory.Feature.INTERN_FIELD_NAMES, false)
            .configure(JsonFactory.Feature.FAIL_ON_SYMBOL_HASH_OVERFLOW, false)
            .build();
    this.mapper = new ObjectMapper(factory);
    mapper.setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);
    mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    mapper.setPropertyNamingStrategy(new PropertyNamingStrategies.KebabCaseStrategy());
    RESTSerializers.registerAll(mapper);
  }

  /**
   * Reads and validates a request body.
   *
   * @throws BadRequestException for a missing, malformed or invalid body
   * @throws ClientErrorException 413 for a body over the limit
   */
  <T extends RESTRequest> T readRequest(InputStream body, Class<T> type) {
    T request;
    try {
      request = mapper.readValue(readBody(body), type);
    } catch (JsonProcessingException e) {
      throw malformed(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (IllegalArgumentException | NullPointerException e) {
      // Iceberg's deserializers check required fields with Preconditions.
      throw new BadRequestException(e, "Invalid request body: %s", e.getMessage());
    }
    if (request == null) {
      throw new BadRequestException("Request body must be a JSON object");
    }
    try {
      request.validate();
    } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
      // Preconditions failures; Iceberg's own exceptions (such as 422) pass through.
      throw new BadRequestException(e, "Invalid request: %s", e.getMessage());
    }
    return request;
  }

  /** Reads a body as a JSON tree, for requests that Iceberg parses from one. */
  JsonNode readTree(InputStream body) {
    try {
      JsonNode tree = mapper.readTree(readBody(body));
      if (tree == null || tree.isMissingNode() || tree.isNull()) {
        throw new BadRequestException("Request body must be a JSON object");
      }
      return tree;
    } catch (JsonProcessingException e) {
      throw malformed(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A 200 response with the value as its JSON body. */
  Response ok(Object value) {
    return Response.ok(write(value), MediaType.APPLICATION_JSON_TYPE).build();
  }

  /** A 200 response with a JSON body written field by field. */
  Response ok(BodyWriter body) {
    return Response.ok(write(body), MediaType.APPLICATION_JSON_TYPE).build();
  }

  byte[] write(Object value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialize " + value.getClass().getSimpleName(), e);
    }
  }

  /** Writes a body field by field, for responses not worth building as objects first. */
  @FunctionalInterface
  interface BodyWriter {
    void writeTo(JsonGenerator generator) throws IOException;
  }

  byte[] write(BodyWriter body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator generator = mapper.createGenerator(out)) {
      body.writeTo(generator);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private byte[] readBody(InputStream body) throws IOException {
    byte[] bytes = body.readNBytes((int) maxRequestBytes + 1);
    if (bytes.length > maxRequestBytes) {
      throw new ClientErrorException(
          "Request body is larger than " + maxRequestBytes + " bytes",
          Response.Status.REQUEST_ENTITY_TOO_LARGE);
    }
    if (bytes.length == 0) {
      throw new BadRequestException("Request body is required");
    }
    return bytes;
  }

  private static BadRequestException malformed(JsonProcessingException e) {
    return new BadRequestException(e, "Malformed JSON request body: %s", e.getOriginalMessage());
  }
}
