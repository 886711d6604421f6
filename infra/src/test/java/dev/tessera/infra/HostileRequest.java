package dev.tessera.infra;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One request of the hostile-input suite, as raw HTTP: method, request target, headers in order
 * ({@code Host: localhost} unless one is given; a null value leaves a header out) and body bytes.
 *
 * @param expectedType the problem type slug the answer must carry, or null for any 4xx problem
 */
record HostileRequest(String name, String method, String target, Map<String, String> headers,
    byte[] body, String expectedType) {

  static HostileRequest of(String name, String method, String target, String auth,
      String contentType, String body) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (auth != null) {
      headers.put("Authorization", "Bearer " + auth);
    }
    if (contentType != null) {
      headers.put("Content-Type", contentType);
    }
    return new HostileRequest(name, method, target, headers,
        body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), null);
  }

  HostileRequest expecting(String type) {
    return new HostileRequest(name, method, target, headers, body, type);
  }

  HostileRequest withHeader(String header, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(header, value);
    return new HostileRequest(name, method, target, copy, body, expectedType);
  }

  HostileRequest withBody(byte[] bytes) {
    return new HostileRequest(name, method, target, headers, bytes, expectedType);
  }

  /** The request line and headers, CRLF-separated. */
  String head() {
    StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1");
    if (!headers.containsKey("Host")) {
      head.append("\r\nHost: localhost");
    }
    headers.forEach((name, value) -> {
      if (value != null) {
        head.append("\r\n").append(name).append(": ").append(value);
      }
    });
    return head.toString();
  }

  @Override
  public String toString() {
    String shown = method + " " + (target.length() > 120 ? target.substring(0, 120) + "…" : target);
    return name + " [" + shown + "]";
  }
}
