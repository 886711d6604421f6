package dev.tessera.gateway.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.gateway.generation.GenerationRow;
import dev.tessera.gateway.generation.GenerationView;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Writes the messages about a generation that reached a terminal state into the outbox, in the
 * transaction that stores the state, so that a message exists exactly when the state does. One
 * row per target that asked for the event: the request's own {@code webhook_url} and each enabled
 * endpoint of the tenant. The body is {@code {type, timestamp, data}}, {@code data} the generation
 * as {@code GET /v1/generations/{id}} shows it; its id is derived from the generation, its life
 * (acceptance time), the event and the target, so writing it twice writes it once.
 */
@Component
public class WebhookOutbox {

  private final WebhookRepository repository;
  private final ObjectMapper mapper;
  private final Clock clock;

  WebhookOutbox(WebhookRepository repository, ObjectMapper mapper, Clock clock) {
    this.repository = repository;
    this.mapper = mapper;
    this.clock = clock;
  }

  /** Enqueues the messages for the row's state; nothing if it is not terminal or nobody asked. */
  public void enqueue(GenerationRow row) {
    Optional<WebhookEvent> event = WebhookEvent.of(row.state());
    if (event.isEmpty()) {
      return;
    }
    String type = event.get().type();
    List<WebhookRepository.Target> targets = repository.targets(row.id(), row.tenantId()).stream()
        .filter(t -> t.events().contains(type)).toList();
    if (targets.isEmpty()) {
      return;
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    if (targets.stream().anyMatch(t -> t.endpointId() == null)) {
      repository.tenantSecret(row.tenantId(), now); // signs the request's own URL
    }
    String payload = payload(type, now, GenerationView.of(row));
    for (WebhookRepository.Target target : targets) {
      String name = row.id() + "|" + row.timestamps().queuedAt() + "|" + type + "|"
          + (target.endpointId() == null ? "request" : target.endpointId());
      String id = "msg_" + UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8))
          .toString().replace("-", "");
      repository.enqueue(id, row.tenantId(), row.id(), target, type, payload, now);
    }
  }

  private String payload(String type, Instant now, GenerationView view) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", type);
    body.put("timestamp", now.toString());
    body.put("data", view);
    try {
      return mapper.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a generation view is always JSON", e);
    }
  }
}
