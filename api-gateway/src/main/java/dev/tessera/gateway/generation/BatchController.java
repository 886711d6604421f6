package dev.tessera.gateway.generation;

import dev.tessera.gateway.auth.Caller;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** {@code POST /v1/batches}: submit many generations at once. */
@RestController
class BatchController {

  /** The 202 body: one entry per request, in the order sent. */
  record AcceptedBatch(List<GenerationController.AcceptedBody> data) {}

  private final BatchService batches;

  BatchController(BatchService batches) {
    this.batches = batches;
  }

  @PostMapping(value = "/v1/batches", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<AcceptedBatch> create(Caller caller,
      @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
      @RequestBody(required = false) CreateBatchBody body) {
    List<GenerationService.Accepted> accepted = batches.submit(caller, body, idempotencyKey);
    List<GenerationController.AcceptedBody> data = accepted.stream()
        .map(a -> new GenerationController.AcceptedBody(a.id().toString(), a.state().name(),
            ServletUriComponentsBuilder.fromCurrentContextPath().path("/v1/generations/{id}")
                .buildAndExpand(a.id()).toUriString()))
        .toList();
    ResponseEntity.BodyBuilder response = ResponseEntity.accepted();
    if (accepted.get(0).replayed()) {
      response.header("Idempotent-Replayed", "true");
    }
    return response.body(new AcceptedBatch(data));
  }
}
