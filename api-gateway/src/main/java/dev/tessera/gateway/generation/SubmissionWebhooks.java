package dev.tessera.gateway.generation;

import java.util.List;
import java.util.UUID;

/**
 * The webhook a submitted request asks for ({@code webhook_url}, {@code webhook_events}): checked
 * with the request, stored in the transaction that stores it. The webhook package implements it.
 */
public interface SubmissionWebhooks {

  /** A checked webhook, to store with its request. */
  @FunctionalInterface
  interface Attachment {

    /** Stores the webhook for this generation; call it in the transaction that stores the row. */
    void attachTo(UUID generationId);
  }

  /**
   * The request's webhook, or null without a {@code webhook_url}.
   *
   * @throws dev.tessera.gateway.problem.InvalidRequestException naming {@code webhook_url} or
   *     {@code webhook_events}
   */
  Attachment check(String webhookUrl, List<String> webhookEvents);
}
