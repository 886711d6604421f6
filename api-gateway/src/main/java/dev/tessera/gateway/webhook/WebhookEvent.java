package dev.tessera.gateway.webhook;

import dev.tessera.contract.GenerationState;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The event types a webhook can ask for: a generation reached a terminal state. */
public enum WebhookEvent {
  SUCCEEDED, FAILED, CANCELLED, EXPIRED;

  /** Its name on the wire, e.g. {@code generation.succeeded}. */
  public String type() {
    return "generation." + name().toLowerCase(Locale.ROOT);
  }

  /** Every type, the default of a webhook that names none. */
  public static List<String> allTypes() {
    return Arrays.stream(values()).map(WebhookEvent::type).toList();
  }

  /** The event of a wire name, if it is one. */
  public static Optional<WebhookEvent> ofType(String type) {
    return Arrays.stream(values()).filter(e -> e.type().equals(type)).findFirst();
  }

  /** The event of reaching a state; empty for a state that is not terminal. */
  public static Optional<WebhookEvent> of(GenerationState state) {
    return switch (state) {
      case SUCCEEDED -> Optional.of(SUCCEEDED);
      case FAILED -> Optional.of(FAILED);
      case CANCELLED -> Optional.of(CANCELLED);
      case EXPIRED -> Optional.of(EXPIRED);
      default -> Optional.empty();
    };
  }
}
