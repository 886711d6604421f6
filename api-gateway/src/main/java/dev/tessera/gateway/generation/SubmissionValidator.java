package dev.tessera.gateway.generation;

import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.ModelDescriptor;
import dev.tessera.contract.Priority;
import dev.tessera.contract.SamplingParams;
import dev.tessera.contract.Strategy;
import dev.tessera.contract.StrategyParams;
import dev.tessera.gateway.auth.Caller;
import dev.tessera.gateway.input.Rfc3339;
import dev.tessera.gateway.problem.Echo;
import dev.tessera.gateway.problem.InvalidRequestException;
import dev.tessera.gateway.problem.ProblemType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Turns a POST body into a {@link GenerationRequest}, or a 400 that names the offending field.
 * Ranges are the model library's own (the records' compact constructors); this class only attributes
 * a rejection to its field and checks the request against the model (class range, strategy).
 */
final class SubmissionValidator {

  private final Function<String, Optional<ModelDescriptor>> models;
  private final Supplier<List<String>> modelNames;

  SubmissionValidator(Function<String, Optional<ModelDescriptor>> models,
      Supplier<List<String>> modelNames) {
    this.models = models;
    this.modelNames = modelNames;
  }

  GenerationRequest validate(CreateGenerationBody body, Caller caller, UUID id, long randomSeed,
      Instant now) {
    if (body == null) {
      throw invalid(ProblemType.MISSING_FIELD, "model", "a JSON object body is required");
    }
    if (body.model() == null || body.model().isBlank()) {
      throw invalid(ProblemType.MISSING_FIELD, "model", "field 'model' is required");
    }
    ModelDescriptor model = models.apply(body.model()).orElseThrow(() -> invalid(
        ProblemType.UNKNOWN_MODEL, "model",
        "unknown model '" + Echo.value(body.model()) + "'; served models: " + modelNames.get()));

    if (body.classLabel() == null) {
      throw invalid(ProblemType.MISSING_FIELD, "class_label", "field 'class_label' is required");
    }
    if (!model.acceptsClass(body.classLabel())) {
      throw invalid(ProblemType.INVALID_FIELD, "class_label", "class_label must be in [0, "
          + (model.numClasses() - 1) + "] for model " + model.name() + ", was " + body.classLabel());
    }

    Strategy strategy = strategy(body.strategy(), model);
    SamplingParams sampling = sampling(body);
    StrategyParams strategyParams = strategyParams(body, strategy, model);
    long seed = body.seed() != null ? body.seed() : randomSeed;

    return new GenerationRequest(id.toString(), caller.tenantId().toString(),
        caller.apiKeyId().toString(), model.name(), body.classLabel(), strategy, seed, sampling,
        strategyParams, priority(body.priority()), deadline(body.deadline(), now), 0, now);
  }

  private static Priority priority(String name) {
    if (name == null) {
      return Priority.NORMAL;
    }
    try {
      return Priority.fromApiName(name);
    } catch (IllegalArgumentException e) {
      throw invalid(ProblemType.INVALID_FIELD, "priority", e.getMessage());
    }
  }

  private static Instant deadline(String text, Instant now) {
    if (text == null) {
      return null;
    }
    Instant deadline = Rfc3339.parse("deadline", text).truncatedTo(ChronoUnit.MICROS);
    if (!deadline.isAfter(now)) {
      throw invalid(ProblemType.INVALID_FIELD, "deadline",
          "deadline must be in the future, was " + deadline + " (now " + now + ")");
    }
    return deadline;
  }

  private static Strategy strategy(String name, ModelDescriptor model) {
    Strategy strategy;
    try {
      strategy = Strategy.fromApiName(name == null ? Strategy.AR.apiName() : name);
    } catch (IllegalArgumentException e) {
      throw invalid(ProblemType.UNKNOWN_STRATEGY, "strategy", e.getMessage());
    }
    if (!model.supports(strategy)) {
      throw invalid(ProblemType.UNSUPPORTED_STRATEGY, "strategy", "model " + model.name()
          + " does not decode with '" + strategy.apiName() + "'; it supports "
          + model.strategies().stream().map(Strategy::apiName).toList());
    }
    return strategy;
  }

  private static SamplingParams sampling(CreateGenerationBody body) {
    SamplingParams d = SamplingParams.DEFAULT;
    double cfg = or(body.cfgScale(), d.cfgScale());
    double temperature = or(body.temperature(), d.temperature());
    int topK = or(body.topK(), d.topK());
    double topP = or(body.topP(), d.topP());
    // one field at a time against the defaults, so the rejection names its field
    check("cfg_scale", () -> new SamplingParams(cfg, d.temperature(), d.topK(), d.topP()));
    check("temperature", () -> new SamplingParams(d.cfgScale(), temperature, d.topK(), d.topP()));
    check("top_k", () -> new SamplingParams(d.cfgScale(), d.temperature(), topK, d.topP()));
    check("top_p", () -> new SamplingParams(d.cfgScale(), d.temperature(), d.topK(), topP));
    return new SamplingParams(cfg, temperature, topK, topP);
  }

  private static StrategyParams strategyParams(CreateGenerationBody body, Strategy strategy,
      ModelDescriptor model) {
    StrategyParams d = StrategyParams.DEFAULT;
    int draftLen = or(body.draftLen(), d.draftLen());
    int lanternK = or(body.lanternK(), Math.min(d.lanternK(), model.lanternMaxK()));
    double lanternDelta = or(body.lanternDelta(), d.lanternDelta());
    String lanternRule = or(body.lanternRule(), d.lanternRule());
    int treeTopK = or(body.treeTopK(), d.treeTopK());
    int treeTokens = or(body.treeTokens(), d.treeTokens());
    double draftThreshold = or(body.draftThreshold(), d.draftThreshold());
    String treeKind = or(body.treeKind(), d.treeKind());
    check("draft_len", () -> new StrategyParams(draftLen, d.lanternK(), d.lanternDelta()));
    check("lantern_k", () -> new StrategyParams(d.draftLen(), lanternK, d.lanternDelta()));
    check("lantern_delta", () -> new StrategyParams(d.draftLen(), d.lanternK(), lanternDelta));
    check("lantern_rule", () -> new StrategyParams(d.draftLen(), d.lanternK(), d.lanternDelta(),
        lanternRule, d.treeTopK(), d.treeTokens()));
    check("tree_tokens", () -> new StrategyParams(d.draftLen(), d.lanternK(), d.lanternDelta(),
        d.lanternRule(), d.treeTopK(), treeTokens));
    check("tree_top_k", () -> new StrategyParams(d.draftLen(), d.lanternK(), d.lanternDelta(),
        d.lanternRule(), treeTopK, treeTokens));
    check("draft_threshold", () -> new StrategyParams(d.draftLen(), d.lanternK(),
        d.lanternDelta(), d.lanternRule(), d.treeTopK(), d.treeTokens(), draftThreshold,
        d.treeKind()));
    check("tree_kind", () -> new StrategyParams(d.draftLen(), d.lanternK(), d.lanternDelta(),
        d.lanternRule(), treeTopK, treeTokens, d.draftThreshold(), treeKind));
    if (strategy == Strategy.LANTERN && lanternK > model.lanternMaxK()) {
      throw invalid(ProblemType.INVALID_FIELD, "lantern_k", "lantern_k must be at most "
          + model.lanternMaxK() + " for model " + model.name() + ", was " + lanternK);
    }
    return new StrategyParams(draftLen, lanternK, lanternDelta, lanternRule, treeTopK, treeTokens,
        draftThreshold, treeKind);
  }

  private static void check(String field, Runnable construct) {
    try {
      construct.run();
    } catch (IllegalArgumentException e) {
      throw invalid(ProblemType.INVALID_FIELD, field, e.getMessage());
    }
  }

  private static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }

  private static InvalidRequestException invalid(ProblemType type, String field, String detail) {
    return new InvalidRequestException(type, field, detail);
  }
}
