package dev.tessera.gateway.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.gateway.PublicUrlProperties;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class StatusUrlsTest {

  private static MockHttpServletRequest request(String host) {
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/v1/generations");
    request.setServerName(host);
    request.addHeader("Host", host);
    request.setLocalPort(8080);
    request.addHeader("X-Forwarded-Proto", "https");
    request.addHeader("X-Forwarded-Host", "proxy.example.com");
    return request;
  }

  @Test
  void theHostHeaderNeverMakesTheBase() {
    StatusUrls urls = new StatusUrls(new PublicUrlProperties(null, false));
    assertThat(urls.base(request("evil.example"))).as("default: the local port")
        .isEqualTo("http://localhost:8080");
    StatusUrls configured = new StatusUrls(new PublicUrlProperties("https://api.example.com/",
        false));
    assertThat(configured.base(request(""))).as("configured, trailing slash dropped")
        .isEqualTo("https://api.example.com");
    UUID id = UUID.randomUUID();
    assertThat(StatusUrls.generation("https://api.example.com", id).toString()).as("link")
        .isEqualTo("https://api.example.com/v1/generations/" + id);
  }

  @Test
  void forwardedHeadersCountOnlyWhenTrustedAndWellFormed() {
    StatusUrls trusting = new StatusUrls(new PublicUrlProperties("https://api.example.com",
        true));
    assertThat(trusting.base(request("x"))).as("trusted proxy")
        .isEqualTo("https://proxy.example.com");
    MockHttpServletRequest bad = request("x");
    bad.removeHeader("X-Forwarded-Host");
    bad.addHeader("X-Forwarded-Host", "evil.example/path?q");
    assertThat(trusting.base(bad)).as("malformed forwarded host: configuration")
        .isEqualTo("https://api.example.com");
    assertThat(new StatusUrls(new PublicUrlProperties("https://api.example.com", false))
        .base(request("x"))).as("untrusted forwarded headers are ignored")
        .isEqualTo("https://api.example.com");
  }

  @Test
  void aBaseUrlThatIsNotHttpIsRefusedAtStart() {
    for (String url : new String[] {"ftp://x", "api.example.com", "https://x/?q=1", "http://"}) {
      assertThatThrownBy(() -> new PublicUrlProperties(url, false)).as(url)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
