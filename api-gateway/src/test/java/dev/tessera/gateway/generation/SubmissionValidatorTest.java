package dev.tessera.gateway.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.ModelDescriptor;
import dev.tessera.contract.Priority;
import dev.tessera.contract.SamplingParams;
import dev.tessera.contract.Strategy;
import dev.tessera.gateway.auth.Caller;
import dev.tessera.gateway.problem.InvalidRequestException;
import dev.tessera.gateway.problem.ProblemType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SubmissionValidatorTest {

  private static final ModelDescriptor FM_AR =
      new ModelDescriptor("fm-ar", 16, 256, 10, 512, List.of(Strategy.AR), 0);
  private static final Caller CALLER = new Caller(UUID.randomUUID(), UUID.randomUUID());
  private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

  private final SubmissionValidator validator = new SubmissionValidator(
      name -> name.equals("fm-ar") ? Optional.of(FM_AR) : Optional.empty(), () -> List.of("fm-ar"));

  @Test
  void defaultsFillWhatTheBodyLeavesOutAndTheRandomSeedIsRecorded() {
    GenerationRequest r = validator.validate(body("fm-ar", 3, null, null, null, null), CALLER,
        UUID.randomUUID(), 987L, NOW);

    assertThat(r.strategy()).as("strategy defaults to ar").isEqualTo(Strategy.AR);
    assertThat(r.sampling()).as("documented sampling defaults").isEqualTo(SamplingParams.DEFAULT);
    assertThat(r.seed()).as("the chosen random seed").isEqualTo(987L);
    assertThat(r.tenantId()).as("tenant from the key").isEqualTo(CALLER.tenantId().toString());
    assertThat(r.queuedAt()).as("accepted now").isEqualTo(NOW);
    assertThat(r.attempt()).as("not dispatched yet").isZero();
  }

  @Test
  void anExplicitSeedWins() {
    GenerationRequest r = validator.validate(body("fm-ar", 3, "ar", 42L, 0.5, null), CALLER,
        UUID.randomUUID(), 987L, NOW);

    assertThat(r.seed()).as("seed from the body").isEqualTo(42L);
    assertThat(r.sampling().temperature()).as("temperature from the body").isEqualTo(0.5);
  }

  @Test
  void eachRejectionNamesItsField() {
    assertRejected(body(null, 1, null, null, null, null), ProblemType.MISSING_FIELD, "model");
    assertRejected(body("nope", 1, null, null, null, null), ProblemType.UNKNOWN_MODEL, "model");
    assertRejected(body("fm-ar", null, null, null, null, null), ProblemType.MISSING_FIELD,
        "class_label");
    assertRejected(body("fm-ar", 10, null, null, null, null), ProblemType.INVALID_FIELD,
        "class_label");
    assertRejected(body("fm-ar", 1, "warp", null, null, null), ProblemType.UNKNOWN_STRATEGY,
        "strategy");
    assertRejected(body("fm-ar", 1, "speculative", null, null, null),
        ProblemType.UNSUPPORTED_STRATEGY, "strategy");
    assertRejected(body("fm-ar", 1, null, null, 11.0, null), ProblemType.INVALID_FIELD,
        "temperature");
    assertRejected(body("fm-ar", 1, null, null, null, 1.5), ProblemType.INVALID_FIELD, "top_p");
  }

  @Test
  void theLanternRuleAndTheTreeAreValidatedAndDefaulted() {
    SubmissionValidator withLantern = new SubmissionValidator(name -> Optional.of(
        new ModelDescriptor("fm-ar", 16, 256, 10, 512, List.of(Strategy.AR, Strategy.LANTERN), 64)),
        () -> List.of("fm-ar"));
    GenerationRequest paper = withLantern.validate(lantern("paper", 2, 8), CALLER,
        UUID.randomUUID(), 1L, NOW);
    GenerationRequest plain = withLantern.validate(lantern(null, null, null), CALLER,
        UUID.randomUUID(), 1L, NOW);

    assertThat(paper.strategyParams().paperRule()).as("paper rule asked for").isTrue();
    assertThat(paper.strategyParams().treeTokens()).as("tree tokens").isEqualTo(8);
    assertThat(plain.strategyParams().lanternRule()).as("default rule").isEqualTo("bounded");
    for (Object[] bad : new Object[][] {{"loose", null, null, "lantern_rule"},
        {"PAPER", null, null, "lantern_rule"}, {null, 0, 8, "tree_top_k"},
        {null, 17, 8, "tree_top_k"}, {null, null, -1, "tree_tokens"},
        {null, null, 65, "tree_tokens"}}) {
      assertThatThrownBy(() -> withLantern.validate(lantern((String) bad[0], (Integer) bad[1],
          (Integer) bad[2]), CALLER, UUID.randomUUID(), 1L, NOW))
          .as("rejected: " + java.util.Arrays.toString(bad))
          .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            assertThat(e.type()).isEqualTo(ProblemType.INVALID_FIELD);
            assertThat(e.field()).isEqualTo(bad[3]);
          });
    }
  }

  @Test
  void anAdaptiveChainAndAStaticTreeAreValidatedAndDefaulted() {
    SubmissionValidator withLantern = new SubmissionValidator(name -> Optional.of(
        new ModelDescriptor("fm-ar", 16, 256, 10, 512, List.of(Strategy.AR, Strategy.LANTERN), 64)),
        () -> List.of("fm-ar"));
    GenerationRequest asked = withLantern.validate(drafting(0.2, "static"), CALLER,
        UUID.randomUUID(), 1L, NOW);
    GenerationRequest plain = withLantern.validate(drafting(null, null), CALLER,
        UUID.randomUUID(), 1L, NOW);

    assertThat(asked.strategyParams().draftThreshold()).as("threshold").isEqualTo(0.2);
    assertThat(asked.strategyParams().staticTree()).as("static tree").isTrue();
    assertThat(plain.strategyParams().draftThreshold()).as("default threshold").isZero();
    assertThat(plain.strategyParams().draftLen()).as("default draft_len").isEqualTo(4);
    assertThat(plain.strategyParams().treeKind()).as("default kind").isEqualTo("dynamic");
    for (Object[] bad : new Object[][] {{-0.1, null, "draft_threshold"},
        {1.0, null, "draft_threshold"}, {Double.NaN, null, "draft_threshold"},
        {null, "Static", "tree_kind"}, {null, "eagle", "tree_kind"}}) {
      assertThatThrownBy(() -> withLantern.validate(drafting((Double) bad[0], (String) bad[1]),
          CALLER, UUID.randomUUID(), 1L, NOW))
          .as("rejected: " + java.util.Arrays.toString(bad))
          .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            assertThat(e.type()).isEqualTo(ProblemType.INVALID_FIELD);
            assertThat(e.field()).isEqualTo(bad[2]);
          });
    }
  }

  private static CreateGenerationBody drafting(Double threshold, String treeKind) {
    return new CreateGenerationBody("fm-ar", 1, "lantern", null, null, null, null, null, null, null,
        null, null, 2, 8, null, null, null, null, threshold, treeKind);
  }

  @Test
  void priorityAndDeadlineAreParsedAndDefaultToNormalAndNone() {
    GenerationRequest plain = validator.validate(scheduled(null, null), CALLER, UUID.randomUUID(),
        1L, NOW);
    GenerationRequest urgent = validator.validate(scheduled("high", "2025-01-01T01:00:00+01:00"),
        CALLER, UUID.randomUUID(), 1L, NOW.minusSeconds(1));

    assertThat(plain.priority()).as("default priority").isEqualTo(Priority.NORMAL);
    assertThat(plain.deadline()).as("no deadline").isNull();
    assertThat(urgent.priority()).as("high").isEqualTo(Priority.HIGH);
    assertThat(urgent.deadline()).as("deadline with its offset applied").isEqualTo(NOW);
  }

  @Test
  void aBadPriorityOrDeadlineIsRejectedNamingItsField() {
    assertRejected(scheduled("urgent", null), ProblemType.INVALID_FIELD, "priority");
    assertRejected(scheduled("HIGH", null), ProblemType.INVALID_FIELD, "priority");
    assertRejected(scheduled(null, "tomorrow"), ProblemType.INVALID_FIELD, "deadline");
    assertRejected(scheduled(null, "2025-01-01T00:00:00"), ProblemType.INVALID_FIELD, "deadline");
    assertRejected(scheduled(null, "2024-12-31T23:59:59Z"), ProblemType.INVALID_FIELD, "deadline");
  }

  private void assertRejected(CreateGenerationBody body, ProblemType type, String field) {
    assertThatThrownBy(() -> validator.validate(body, CALLER, UUID.randomUUID(), 1L, NOW))
        .as(field + " rejected as " + type)
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
          assertThat(e.type()).as("problem type").isEqualTo(type);
          assertThat(e.field()).as("field").isEqualTo(field);
        });
  }

  private static CreateGenerationBody body(String model, Integer classLabel, String strategy,
      Long seed, Double temperature, Double topP) {
    return new CreateGenerationBody(model, classLabel, strategy, seed, null, temperature, null,
        topP, null, null, null, null, null, null, null, null);
  }

  private static CreateGenerationBody lantern(String rule, Integer treeTopK, Integer treeTokens) {
    return new CreateGenerationBody("fm-ar", 1, "lantern", null, null, null, null, null, null, null,
        null, rule, treeTopK, treeTokens, null, null);
  }

  private static CreateGenerationBody scheduled(String priority, String deadline) {
    return new CreateGenerationBody("fm-ar", 1, null, null, null, null, null, null, null, null,
        null, null, null, null, priority, deadline);
  }
}
