package dev.tessera.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.gateway.problem.InvalidRequestException;
import java.net.InetAddress;
import java.net.URI;
import org.junit.jupiter.api.Test;

class WebhookTargetsTest {

  @Test
  void privateLoopbackLinkLocalAndUniqueLocalAddressesAreNotPublic() throws Exception {
    for (String address : new String[] {"127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1",
        "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "::1", "::",
        "fe80::1", "fc00::1", "fd12:3456::1", "::ffff:10.0.0.1", "::ffff:127.0.0.1"}) {
      assertThat(WebhookTargets.isPrivate(InetAddress.getByName(address))).as(address).isTrue();
    }
    for (String address : new String[] {"93.184.216.34", "8.8.8.8", "172.32.0.1",
        "100.128.0.1", "2606:4700::1111", "::ffff:8.8.8.8"}) {
      assertThat(WebhookTargets.isPrivate(InetAddress.getByName(address))).as(address).isFalse();
    }
  }

  @Test
  void aDeliveryToAPrivateAddressIsRefusedUnlessAllowed() {
    URI loopback = URI.create("http://127.0.0.1:9/hook");
    assertThat(WebhookTargets.refusal(loopback, false)).get().asString()
        .contains("127.0.0.1", "not a public address");
    assertThat(WebhookTargets.refusal(loopback, true)).isEmpty();
    assertThat(WebhookTargets.refusal(URI.create("http://[::1]:9/"), false)).isPresent();
    assertThat(WebhookTargets.refusal(URI.create("https://93.184.216.34/hook"), false)).isEmpty();
  }

  @Test
  void urlsAreCheckedForFormAndLiteralPrivateHostsAtSubmission() {
    assertThat(WebhookTargets.parse("webhook_url", "https://example.com/x?y=1", false))
        .hasHost("example.com");
    for (String bad : new String[] {"ftp://example.com/", "example.com/hook", "http://",
        "https://user:pw@example.com/", "http://localhost:8080/", "http://127.0.0.1/",
        "http://[::1]/", "http://169.254.169.254/latest/meta-data", " ", "http://exa mple.com"}) {
      assertThatThrownBy(() -> WebhookTargets.parse("webhook_url", bad, false)).as(bad)
          .isInstanceOfSatisfying(InvalidRequestException.class,
              e -> assertThat(e.field()).isEqualTo("webhook_url"));
    }
    assertThat(WebhookTargets.parse("webhook_url", "http://127.0.0.1:8080/", true))
        .as("allowed by the operator").hasPort(8080);
  }

  @Test
  void eventsDefaultToEveryTerminalOneAndUnknownOnesAreRefused() {
    assertThat(WebhookRequest.parse("https://example.com/", null, "u", "e", false).events())
        .containsExactly("generation.succeeded", "generation.failed", "generation.cancelled",
            "generation.expired");
    assertThat(WebhookRequest.parse(null, null, "u", "e", false)).isNull();
    assertThatThrownBy(() -> WebhookRequest.parse("https://example.com/",
        java.util.List.of("generation.done"), "u", "e", false))
        .isInstanceOfSatisfying(InvalidRequestException.class,
            e -> assertThat(e.field()).isEqualTo("e"));
    assertThatThrownBy(() -> WebhookRequest.parse(null, java.util.List.of(), "u", "e", false))
        .as("events without a url").isInstanceOf(InvalidRequestException.class);
  }
}
