package dev.tessera.gateway.generation;

import dev.tessera.gateway.auth.Caller;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/generations}: submit, read, download, cancel. */
@RestController
@RequestMapping("/v1/generations")
class GenerationController {

  /** The 202 body. */
  record AcceptedBody(String id, String status, String statusUrl) {}

  private final GenerationService service;
  private final GenerationReader reader;
  private final Cancellations cancellations;
  private final StatusUrls urls;

  GenerationController(GenerationService service, GenerationReader reader,
      Cancellations cancellations, StatusUrls urls) {
    this.service = service;
    this.reader = reader;
    this.cancellations = cancellations;
    this.urls = urls;
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<AcceptedBody> create(Caller caller,
      @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
      @RequestBody(required = false) CreateGenerationBody body, HttpServletRequest request) {
    String base = urls.base(request); // before storing: nothing may fail after the commit
    GenerationService.Accepted accepted = service.submit(caller, body, idempotencyKey);
    URI status = StatusUrls.generation(base, accepted.id());
    ResponseEntity.BodyBuilder response = ResponseEntity.accepted().location(status);
    if (accepted.replayed()) {
      response.header("Idempotent-Replayed", "true");
    }
    return response.body(new AcceptedBody(accepted.id().toString(), accepted.state().name(),
        status.toString()));
  }

  @GetMapping("/{id}")
  GenerationView get(Caller caller, @PathVariable String id) {
    return reader.view(caller, parse(id));
  }

  /** Cancels a queued or running generation: 200 with its view (CANCELLED); 409 if it ended. */
  @DeleteMapping("/{id}")
  GenerationView cancel(Caller caller, @PathVariable String id) {
    return cancellations.cancel(caller, parse(id));
  }

  @GetMapping(value = "/{id}/image.png")
  ResponseEntity<byte[]> image(Caller caller, @PathVariable String id) {
    return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG).body(reader.image(caller, parse(id)));
  }

  private static UUID parse(String id) {
    return GenerationIds.parse(id);
  }
}
