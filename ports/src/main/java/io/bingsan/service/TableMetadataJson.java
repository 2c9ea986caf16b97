package io.bingsan.service;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.util.JsonUtil;

/**
 * Table metadata as the UTF-8 bytes of Iceberg's {@link TableMetadataParser}: a commit serializes
 * once, straight to bytes, for its file and its answer alike.
 */
public final class TableMetadataJson {
  private TableMetadataJson() {}

  public static byte[] utf8(TableMetadata metadata) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try (JsonGenerator generator = JsonUtil.factory().createGenerator(out)) {
      TableMetadataParser.toJson(metadata, generator);
    } catch (IOException e) {
      throw new UncheckedIOException("In-memory serialization cannot fail", e);
    }
    return out.toByteArray();
  }
}
