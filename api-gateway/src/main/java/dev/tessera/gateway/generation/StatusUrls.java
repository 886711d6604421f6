package dev.tessera.gateway.generation;

import dev.tessera.gateway.PublicUrlProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * The absolute URLs of generations that a 202 hands out ({@code status_url}, {@code Location}). The
 * base comes from configuration ({@link PublicUrlProperties}), from a trusted proxy's {@code
 * X-Forwarded-*} headers, or from the port the request came in on; never from its {@code Host}
 * header. Computed before anything is stored, and nothing about it can fail afterwards.
 */
@Component
public class StatusUrls {

  /** A host name or IPv4 address, or a bracketed IPv6 address, with an optional port. */
  private static final Pattern HOST =
      Pattern.compile("([A-Za-z0-9][A-Za-z0-9.-]{0,252}|\\[[0-9A-Fa-f:.]{2,45}])(:\\d{1,5})?");

  private final PublicUrlProperties properties;

  StatusUrls(PublicUrlProperties properties) {
    this.properties = properties;
  }

  /** The base URL (no trailing slash) of links in the answer to this request. */
  public String base(HttpServletRequest request) {
    if (properties.trustForwardedHeaders()) {
      String proto = request.getHeader("X-Forwarded-Proto");
      String host = request.getHeader("X-Forwarded-Host");
      if (proto != null && host != null && host.length() <= 300
          && (proto.equalsIgnoreCase("http") || proto.equalsIgnoreCase("https"))
          && HOST.matcher(host).matches()) {
        return proto.toLowerCase(Locale.ROOT) + "://" + host;
      }
    }
    if (properties.publicBaseUrl() != null) {
      return properties.publicBaseUrl();
    }
    return (request.isSecure() ? "https" : "http") + "://localhost:" + request.getLocalPort();
  }

  /** The status URL of a generation under a base from {@link #base}. */
  public static URI generation(String base, UUID id) {
    return URI.create(base + "/v1/generations/" + id);
  }
}
