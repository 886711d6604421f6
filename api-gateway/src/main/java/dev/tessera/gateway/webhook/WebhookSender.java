package dev.tessera.gateway.webhook;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalLong;

/** One HTTP attempt of a signed message: never follows a redirect, bounded by a timeout. */
final class WebhookSender {

  /** What came back: a status (or null with an error) and the time it took. */
  record Response(Integer status, long latencyMs, String error, OptionalLong retryAfterSeconds) {}

  private final HttpClient http;
  private final Duration timeout;

  WebhookSender(Duration timeout) {
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  Response send(URI url, String msgId, long timestamp, String signature, String body) {
    HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
        .header("Content-Type", "application/json")
        .header("User-Agent", "Tessera-Webhooks/1")
        .header("webhook-id", msgId)
        .header("webhook-timestamp", Long.toString(timestamp))
        .header("webhook-signature", signature)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    long start = System.nanoTime();
    try {
      HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
      long ms = (System.nanoTime() - start) / 1_000_000;
      return new Response(response.statusCode(), ms, null,
          response.headers().firstValue("Retry-After").map(WebhookSender::seconds)
              .orElse(OptionalLong.empty()));
    } catch (IOException e) {
      return new Response(null, (System.nanoTime() - start) / 1_000_000,
          e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()),
          OptionalLong.empty());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Response(null, (System.nanoTime() - start) / 1_000_000, "interrupted",
          OptionalLong.empty());
    }
  }

  private static OptionalLong seconds(String retryAfter) {
    try {
      return OptionalLong.of(Math.max(0, Long.parseLong(retryAfter.strip())));
    } catch (NumberFormatException e) {
      return OptionalLong.empty(); // an HTTP date: the backoff applies
    }
  }
}
