package dev.tessera.gateway.generation;

/**
 * The body of {@code POST /v1/generations}, as sent (snake_case in JSON). {@code priority} is
 * {@code high}, {@code normal} (default) or {@code low}; {@code deadline} an RFC 3339 time by which
 * the request must be dispatched, or it ends EXPIRED. Boxed types, so that an
 * absent field is told apart from a zero; {@link SubmissionValidator} applies defaults and ranges.
 */
public record CreateGenerationBody(
    String model,
    Integer classLabel,
    String strategy,
    Long seed,
    Double cfgScale,
    Double temperature,
    Integer topK,
    Double topP,
    Integer draftLen,
    Integer lanternK,
    Double lanternDelta,
    String lanternRule,
    Integer treeTopK,
    Integer treeTokens,
    String priority,
    String deadline) {}
