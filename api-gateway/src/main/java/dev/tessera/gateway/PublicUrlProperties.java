package dev.tessera.gateway;

import java.net.URI;
import java.net.URISyntaxException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where clients reach the gateway, for the links it hands out ({@code status_url}, {@code
 * Location}), under {@code tessera.gateway.*}. Never taken from the request's {@code Host} header,
 * which any client sets as it likes.
 *
 * @param publicBaseUrl the gateway's public base URL, e.g. {@code https://api.example.com}
 *     (scheme, host, optional port and path; no query). Unset: {@code http://localhost:<port the
 *     request came in on>}, right for a local run
 * @param trustForwardedHeaders take the base URL from {@code X-Forwarded-Proto} and {@code
 *     X-Forwarded-Host} when a request has them (well-formed), before {@code public-base-url}: only
 *     behind a proxy that sets them itself and drops a client's
 */
@ConfigurationProperties("tessera.gateway")
public record PublicUrlProperties(String publicBaseUrl, boolean trustForwardedHeaders) {

  public PublicUrlProperties {
    if (publicBaseUrl != null && !publicBaseUrl.isBlank()) {
      publicBaseUrl = checked(publicBaseUrl.strip());
    } else {
      publicBaseUrl = null;
    }
  }

  private static String checked(String url) {
    try {
      URI uri = new URI(url);
      if (("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
          && uri.getHost() != null && uri.getRawQuery() == null && uri.getRawFragment() == null
          && uri.getRawUserInfo() == null) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
      }
    } catch (URISyntaxException e) {
      // answered below
    }
    throw new IllegalArgumentException("tessera.gateway.public-base-url must be an http(s) URL "
        + "with a host and no query, e.g. https://api.example.com; was '" + url + "'");
  }
}
