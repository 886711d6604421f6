package dev.tessera.gateway.generation;

/**
 * The body of {@code POST /v1/generations}, as sent (snake_case in JSON). {@code priority} is
 * {@code high}, {@code normal} (default) or {@code low}; {@code deadline} an RFC 3339 time by which
 * the request must be dispatched, or it ends EXPIRED; {@code webhook_url} (and {@code
 * webhook_events}) where to call back when it ends; the decoding parameters are those of
 * {@link dev.tessera.contract.StrategyParams}. Boxed types, so that an
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
    String deadline,
    String webhookUrl,
    java.util.List<String> webhookEvents,
    Double draftThreshold,
    String treeKind) {

  /** A body without an adaptive chain or a static tree. */
  public CreateGenerationBody(String model, Integer classLabel, String strategy, Long seed,
      Double cfgScale, Double temperature, Integer topK, Double topP, Integer draftLen,
      Integer lanternK, Double lanternDelta, String lanternRule, Integer treeTopK,
      Integer treeTokens, String priority, String deadline, String webhookUrl,
      java.util.List<String> webhookEvents) {
    this(model, classLabel, strategy, seed, cfgScale, temperature, topK, topP, draftLen, lanternK,
        lanternDelta, lanternRule, treeTopK, treeTokens, priority, deadline, webhookUrl,
        webhookEvents, null, null);
  }

  /** A body without a webhook. */
  public CreateGenerationBody(String model, Integer classLabel, String strategy, Long seed,
      Double cfgScale, Double temperature, Integer topK, Double topP, Integer draftLen,
      Integer lanternK, Double lanternDelta, String lanternRule, Integer treeTopK,
      Integer treeTokens, String priority, String deadline) {
    this(model, classLabel, strategy, seed, cfgScale, temperature, topK, topP, draftLen, lanternK,
        lanternDelta, lanternRule, treeTopK, treeTokens, priority, deadline, null, null);
  }

  /** A body without a webhook, tree or LANTERN rule. */
  public CreateGenerationBody(String model, Integer classLabel, String strategy, Long seed,
      Double cfgScale, Double temperature, Integer topK, Double topP, Integer draftLen,
      Integer lanternK, Double lanternDelta, String priority, String deadline) {
    this(model, classLabel, strategy, seed, cfgScale, temperature, topK, topP, draftLen, lanternK,
        lanternDelta, null, null, null, priority, deadline, null, null);
  }
}
