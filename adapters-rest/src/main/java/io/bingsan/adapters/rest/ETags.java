package io.bingsan.adapters.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.apache.iceberg.rest.RESTCatalogProperties.SnapshotMode;

/**
 * Entity tags of loadTable responses. A metadata file never changes once written, so its location
 * and the snapshot mode identify the content; the tag is computed without loading anything. Its
 * gzip encoding has a tag of its own, as a strong tag names one representation (RFC 9110 §8.8.3).
 */
final class ETags {
  private static final String GZIP_SUFFIX = "--gzip";

  private ETags() {}

  /** A strong, quoted tag; differs between the {@code all} and {@code refs} representations. */
  static String of(String metadataLocation, SnapshotMode mode) {
    byte[] digest =
        sha256().digest((mode.name() + '\n' + metadataLocation).getBytes(StandardCharsets.UTF_8));
    return '"' + HexFormat.of().formatHex(digest, 0, 16) + '"';
  }

  /**
   * The tag of the gzip-encoded representation: {@code "<tag>--gzip"}, as Jetty's GzipHandler
   * spells it. The handler strips that suffix from {@code If-None-Match} before the request reaches
   * us and puts it back on the 304, so its handling and ours agree.
   */
  static String gzip(String tag) {
    return tag.substring(0, tag.length() - 1) + GZIP_SUFFIX + '"';
  }

  /**
   * The variant of the current tag that {@code If-None-Match} matches, to answer a 304 with: the
   * plain or gzip tag as listed, the plain tag for {@code *}, or null if nothing matches. A client
   * that revalidates either encoding holds the same content. The comparison is weak (RFC 9110
   * §13.1.2), so a {@code W/} prefix is ignored.
   *
   * @param headerValues every {@code If-None-Match} header line, each possibly a list
   */
  static String matching(List<String> headerValues, String currentTag) {
    if (headerValues == null) {
      return null;
    }
    String gzipTag = gzip(currentTag);
    for (String headerValue : headerValues) {
      for (String candidate : headerValue.split(",")) {
        String tag = candidate.strip();
        if (tag.startsWith("W/")) {
          tag = tag.substring(2);
        }
        if (tag.equals("*") || tag.equals(currentTag)) {
          return currentTag;
        }
        if (tag.equals(gzipTag)) {
          return gzipTag;
        }
      }
    }
    return null;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JVM provides SHA-256", e);
    }
  }
}
