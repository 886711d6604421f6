package dev.tessera.gateway.listing;

import dev.tessera.gateway.generation.GenerationRepository;
import dev.tessera.gateway.generation.GenerationRow;
import dev.tessera.gateway.problem.InvalidRequestException;
import dev.tessera.gateway.problem.ProblemType;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;

/**
 * Pages of generations, newest first: for one tenant (a tenant's listing, or the admin's with
 * {@code tenant_id}) or for all (the admin's). The page's ids come from one keyset query, its rows
 * from a second one by id.
 */
@Service
public class GenerationLister {

  private final GenerationListRepository list;
  private final GenerationRepository generations;

  GenerationLister(GenerationListRepository list, GenerationRepository generations) {
    this.list = list;
    this.generations = generations;
  }

  /**
   * A page of {@code tenant}'s generations (every tenant's if null), each item made by
   * {@code item}.
   *
   * @throws InvalidRequestException if a cursor is not a generation of the list
   */
  public <T> GenerationPage<T> page(UUID tenant, ListQuery q, Function<GenerationRow, T> item) {
    boolean newer = q.before() != null;
    UUID cursorId = newer ? q.before() : q.after();
    GenerationListRepository.Cursor cursor = cursorId == null ? null
        : list.cursor(tenant, cursorId).orElseThrow(() -> new InvalidRequestException(
            ProblemType.INVALID_FIELD, newer ? "before" : "after",
            "no generation " + cursorId + " in this list"));
    GenerationListRepository.Slice slice = list.page(tenant, q, cursor, newer);
    Map<UUID, GenerationRow> rows = generations.findAll(slice.ids()).stream()
        .collect(Collectors.toMap(GenerationRow::id, Function.identity()));
    List<T> data = slice.ids().stream().map(rows::get).filter(r -> r != null).map(item).toList();
    String first = slice.ids().isEmpty() ? null : slice.ids().get(0).toString();
    String last = slice.ids().isEmpty() ? null : slice.ids().get(slice.ids().size() - 1).toString();
    return new GenerationPage<>("list", data, first, last, slice.hasMore());
  }
}
