package dev.tessera.gateway.webhook;

import dev.tessera.gateway.problem.InvalidRequestException;
import dev.tessera.gateway.problem.ProblemType;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where and for which events to call back, as a request or an endpoint asks.
 *
 * @param url the target
 * @param events event types ({@code generation.succeeded}, ...)
 */
public record WebhookRequest(String url, List<String> events) {

  /**
   * The webhook of a request body, or null if it has no {@code webhook_url}; a 400 naming
   * {@code urlField} or {@code eventsField} if it is not valid.
   */
  public static WebhookRequest parse(String url, List<String> events, String urlField,
      String eventsField, boolean allowPrivate) {
    if (url == null) {
      if (events != null) {
        throw new InvalidRequestException(ProblemType.INVALID_FIELD, eventsField,
            eventsField + " needs a " + urlField);
      }
      return null;
    }
    WebhookTargets.parse(urlField, url, allowPrivate);
    return new WebhookRequest(url.strip(), events(events, eventsField));
  }

  /** The events asked for, every one if none is named; a 400 for an unknown one. */
  static List<String> events(List<String> events, String field) {
    if (events == null) {
      return WebhookEvent.allTypes();
    }
    if (events.isEmpty()) {
      throw new InvalidRequestException(ProblemType.INVALID_FIELD, field,
          field + " must name at least one of " + WebhookEvent.allTypes());
    }
    Set<String> distinct = new LinkedHashSet<>();
    for (String e : events) {
      if (e == null || WebhookEvent.ofType(e).isEmpty()) {
        throw new InvalidRequestException(ProblemType.INVALID_FIELD, field,
            "unknown event '" + e + "'; events are " + WebhookEvent.allTypes());
      }
      distinct.add(e);
    }
    return List.copyOf(distinct);
  }
}
