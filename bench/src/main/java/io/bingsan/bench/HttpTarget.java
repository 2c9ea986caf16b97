package io.bingsan.bench;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * The server a run drives, on this machine only, and the requests it is sent: the headers every
 * request carries are fixed per run, so both of the generator's clients build requests here.
 */
record HttpTarget(InetSocketAddress address, String fixedHeaders) {
  /**
   * @param gzip whether to send {@code Accept-Encoding: gzip}, as Iceberg's Java client and
   *     PyIceberg do; a server that honours it pays for compression on every response
   */
  static HttpTarget of(URI url, boolean gzip) {
    return new HttpTarget(
        new InetSocketAddress(requireLoopback(url.getHost()), url.getPort()),
        "Host: "
            + url.getHost()
            + ':'
            + url.getPort()
            + "\r\nAccept: application/json\r\nUser-Agent: bingsan-bench\r\n"
            + (gzip ? "Accept-Encoding: gzip\r\n" : ""));
  }

  /** The load generator never sends traffic off this machine. */
  private static InetAddress requireLoopback(String host) {
    try {
      InetAddress resolved = InetAddress.getByName(host);
      if (!resolved.isLoopbackAddress()) {
        throw new IllegalArgumentException("Only loopback targets are allowed, not " + host);
      }
      return resolved;
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("Unknown host " + host, e);
    }
  }

  byte[] get(String path) {
    return request("GET", path, null, null);
  }

  /** A whole request on the wire; {@code ifNoneMatch} and {@code body} may be null. */
  byte[] request(String method, String path, String ifNoneMatch, byte[] body) {
    StringBuilder head = new StringBuilder(256);
    head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n").append(fixedHeaders);
    if (ifNoneMatch != null) {
      head.append("If-None-Match: ").append(ifNoneMatch).append("\r\n");
    }
    if (body != null) {
      head.append("Content-Type: application/json\r\nContent-Length: ")
          .append(body.length)
          .append("\r\n");
    }
    byte[] headBytes = head.append("\r\n").toString().getBytes(ISO_8859_1);
    if (body == null) {
      return headBytes;
    }
    byte[] request = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, request, 0, headBytes.length);
    System.arraycopy(body, 0, request, headBytes.length, body.length);
    return request;
  }
}
