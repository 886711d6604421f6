package dev.tessera.gateway.events;

import dev.tessera.gateway.auth.Caller;
import dev.tessera.gateway.generation.GenerationIds;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /v1/generations/{id}/events}: the generation's states as server-sent events, the
 * current one first, one event per change, until a terminal one. Same auth and tenant isolation as
 * {@code GET /v1/generations/{id}}; 204 for a reconnect whose {@code Last-Event-ID} already is the
 * terminal event.
 */
@RestController
class GenerationEventsController {

  private final EventStreams streams;

  GenerationEventsController(EventStreams streams) {
    this.streams = streams;
  }

  @GetMapping(value = "/v1/generations/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  ResponseEntity<SseEmitter> events(Caller caller, @PathVariable String id,
      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
    return streams.open(caller, GenerationIds.parse(id), lastEventId)
        .map(emitter -> ResponseEntity.ok()
            .cacheControl(CacheControl.noStore())
            .header("X-Accel-Buffering", "no") // nginx: do not buffer the stream
            .body(emitter))
        .orElseGet(() -> ResponseEntity.noContent().build());
  }
}
