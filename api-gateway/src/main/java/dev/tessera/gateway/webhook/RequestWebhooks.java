package dev.tessera.gateway.webhook;

import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The {@code webhook_url} and {@code webhook_events} of a submitted request: checked with the
 * request (a 400 names the field), stored with it in its transaction.
 */
@Component
public class RequestWebhooks {

  private final WebhookRepository repository;
  private final boolean allowPrivate;

  RequestWebhooks(WebhookRepository repository, WebhookProperties properties) {
    this.repository = repository;
    this.allowPrivate = properties.allowPrivateTargets();
  }

  /** The request's webhook, or null without a {@code webhook_url}. */
  public WebhookRequest parse(String webhookUrl, List<String> webhookEvents) {
    return WebhookRequest.parse(webhookUrl, webhookEvents, "webhook_url", "webhook_events",
        allowPrivate);
  }

  /** Stores a request's webhook; call it in the transaction that stores the request. */
  public void attach(UUID generationId, WebhookRequest webhook) {
    if (webhook != null) {
      repository.attach(generationId, webhook);
    }
  }
}
