package dev.tessera.gateway.generation;

import dev.tessera.contract.GenerationState;
import dev.tessera.gateway.auth.Caller;
import dev.tessera.gateway.problem.ApiException;
import dev.tessera.gateway.problem.NotFoundException;
import dev.tessera.gateway.problem.ProblemType;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Reads generations for their owner: Redis first (finished ones), PostgreSQL second, putting a
 * finished row back into Redis when it was missing. Another tenant's id is simply not found.
 */
@Service
public class GenerationReader {

  private final ResultCache cache;
  private final GenerationRepository repository;

  GenerationReader(ResultCache cache, GenerationRepository repository) {
    this.cache = cache;
    this.repository = repository;
  }

  /** The generation's view. */
  public GenerationView view(Caller caller, UUID id) {
    Optional<ResultCache.Entry> cached = cache.get(id);
    if (cached.isPresent()) {
      return owned(caller, id, cached.get()).view();
    }
    GenerationRow row = repository.find(id)
        .filter(r -> r.tenantId().equals(caller.tenantId()))
        .orElseThrow(() -> notFound(id));
    GenerationView view = GenerationView.of(row);
    if (row.state().isTerminal()) {
      cache.put(new ResultCache.Entry(row.tenantId().toString(), view),
          row.hasImage() ? repository.findImage(id).orElse(null) : null);
    }
    return view;
  }

  /** The generation's PNG; 409 if it has none (not finished, or failed). */
  public byte[] image(Caller caller, UUID id) {
    GenerationView view = view(caller, id);
    if (view.status() != GenerationState.SUCCEEDED) {
      throw new ApiException(HttpStatus.CONFLICT, ProblemType.IMAGE_NOT_READY,
          "generation " + id + " is " + view.status() + "; its image exists once it is SUCCEEDED",
          null);
    }
    return cache.image(id).or(() -> repository.findImage(id)).orElseThrow(() -> notFound(id));
  }

  private static ResultCache.Entry owned(Caller caller, UUID id, ResultCache.Entry entry) {
    if (!entry.tenantId().equals(caller.tenantId().toString())) {
      throw notFound(id);
    }
    return entry;
  }

  private static NotFoundException notFound(UUID id) {
    return new NotFoundException("no generation " + id);
  }
}
