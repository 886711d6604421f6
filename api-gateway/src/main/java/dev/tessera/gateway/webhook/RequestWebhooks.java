package dev.tessera.gateway.webhook;

import dev.tessera.gateway.generation.SubmissionWebhooks;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The {@code webhook_url} and {@code webhook_events} of a submitted request: checked with the
 * request (a 400 names the field), stored with it in its transaction.
 */
@Component
class RequestWebhooks implements SubmissionWebhooks {

  private final WebhookRepository repository;
  private final boolean allowPrivate;

  RequestWebhooks(WebhookRepository repository, WebhookProperties properties) {
    this.repository = repository;
    this.allowPrivate = properties.allowPrivateTargets();
  }

  @Override
  public Attachment check(String webhookUrl, List<String> webhookEvents) {
    WebhookRequest webhook = WebhookRequest.parse(webhookUrl, webhookEvents, "webhook_url",
        "webhook_events", allowPrivate);
    return webhook == null ? null : generationId -> repository.attach(generationId, webhook);
  }
}
