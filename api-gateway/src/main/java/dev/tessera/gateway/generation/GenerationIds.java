package dev.tessera.gateway.generation;

import dev.tessera.gateway.problem.NotFoundException;
import java.util.UUID;

/** Generation ids as they appear in paths. */
public final class GenerationIds {

  private GenerationIds() {}

  /**
   * The id in a path segment; anything that is not a lower-case UUID is simply not one of ours.
   *
   * @throws NotFoundException if it is not an id
   */
  public static UUID parse(String id) {
    try {
      UUID uuid = UUID.fromString(id);
      if (uuid.toString().equals(id.toLowerCase())) {
        return uuid;
      }
    } catch (IllegalArgumentException e) {
      // not an id of ours
    }
    throw new NotFoundException("no generation " + id);
  }
}
