package io.bingsan.adapters.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.apache.iceberg.rest.RESTCatalogProperties.SnapshotMode;

/**
 * Entity tags of loadTable responses. A metadata file never changes once written, so its location
 * and the snapshot mode identify the representation; the tag is computed without loading anything.
 */
final class ETags {
  private ETags() {}

  /** A strong, quoted tag; differs between the {@code all} and {@code refs} representations. */
  static String of(String metadataLocation, SnapshotMode mode) {
    byte[] digest =
        sha256().digest((mode.name() + '\n' + metadataLocation).getBytes(StandardCharsets.UTF_8));
    return '"' + HexFormat.of().formatHex(digest, 0, 16) + '"';
  }

  /**
   * Whether {@code If-None-Match} matches the current tag: {@code *}, or any listed tag. The
   * comparison is weak (RFC 9110 §13.1.2), so a {@code W/} prefix is ignored.
   *
   * @param headerValues every {@code If-None-Match} header line, each possibly a list
   */
  static boolean matches(List<String> headerValues, String currentTag) {
    if (headerValues == null) {
      return false;
    }
    for (String headerValue : headerValues) {
      for (String candidate : headerValue.split(",")) {
        String tag = candidate.strip();
        if (tag.startsWith("W/")) {
          tag = tag.substring(2);
        }
        if (tag.equals("*") || tag.equals(currentTag)) {
          return true;
        }
      }
    }
    return false;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JVM provides SHA-256", e);
    }
  }
}
