package dev.tessera.gateway.webhook;

import dev.tessera.gateway.problem.InvalidRequestException;
import dev.tessera.gateway.problem.ProblemType;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a webhook may be sent (OWASP SSRF advice): http or https URLs without user info, and,
 * unless the operator allows private targets, only to public addresses: not loopback, unspecified,
 * private (RFC 1918, IPv6 ULA), shared (100.64/10), link-local (169.254/16, where cloud metadata
 * lives, fe80::/10) or multicast. A host name is resolved right before each attempt and every
 * address it has is checked. Limitation: the HTTP client resolves the name again when it connects,
 * so a DNS answer that changes in between (rebinding) is not caught.
 */
public final class WebhookTargets {

  static final int MAX_URL_LENGTH = 2000;

  private WebhookTargets() {}

  /**
   * The URL, checked for form (and, unless private targets are allowed, a literal private address
   * or {@code localhost}); a 400 naming {@code field} otherwise.
   */
  public static URI parse(String field, String url, boolean allowPrivate) {
    if (url == null || url.isBlank()) {
      throw invalid(field, field + " must be an http or https URL");
    }
    if (url.length() > MAX_URL_LENGTH) {
      throw invalid(field, field + " must be at most " + MAX_URL_LENGTH + " characters");
    }
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw invalid(field, field + " is not a URL: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw invalid(field, field + " must be an http or https URL, was '" + url + "'");
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null) {
      throw invalid(field, field + " must name a host, without user info");
    }
    if (!allowPrivate) {
      String host = uri.getHost().toLowerCase(Locale.ROOT);
      boolean literal = host.startsWith("[") || host.matches("[0-9.]+");
      if (host.equals("localhost") || host.endsWith(".localhost")
          || (literal && refusal(uri, false).isPresent())) {
        throw invalid(field, field + " points at a private or loopback address, which this "
            + "server does not call");
      }
    }
    return uri;
  }

  /**
   * Why a delivery to this URL is refused, or empty if it may go: every address of its host must
   * be public unless private targets are allowed.
   */
  public static Optional<String> refusal(URI uri, boolean allowPrivate) {
    if (allowPrivate) {
      return Optional.empty();
    }
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      for (InetAddress address : InetAddress.getAllByName(host)) {
        if (isPrivate(address)) {
          return Optional.of(uri.getHost() + " resolves to " + address.getHostAddress()
              + ", not a public address");
        }
      }
      return Optional.empty();
    } catch (UnknownHostException e) {
      return Optional.of("cannot resolve " + uri.getHost());
    }
  }

  /** Whether an address is loopback, private, link-local or otherwise not public. */
  public static boolean isPrivate(InetAddress a) {
    if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress()
        || a.isSiteLocalAddress() || a.isMulticastAddress()) {
      return true;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return first == 0 || first == 127 || (first == 100 && second >= 64 && second < 128)
          || (first == 192 && second == 0 && (b[2] & 0xff) == 0) || first >= 240;
    }
    if (a instanceof Inet6Address) {
      if ((b[0] & 0xfe) == 0xfc) { // fc00::/7 unique local
        return true;
      }
      boolean mapped = true; // ::ffff:a.b.c.d carries an IPv4 address
      for (int i = 0; i < 10; i++) {
        mapped &= b[i] == 0;
      }
      if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
        try {
          return isPrivate(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
        } catch (UnknownHostException e) {
          return true;
        }
      }
    }
    return false;
  }

  private static InvalidRequestException invalid(String field, String detail) {
    return new InvalidRequestException(ProblemType.INVALID_FIELD, field, detail);
  }
}
