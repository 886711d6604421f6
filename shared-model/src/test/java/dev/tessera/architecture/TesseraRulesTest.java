package dev.tessera.architecture;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import dev.tessera.archfixture.contract.EngineTypedOrder;
import dev.tessera.archfixture.contract.Order;
import dev.tessera.archfixture.contract.Strategy;
import dev.tessera.archfixture.decoding.Decoder;
import dev.tessera.archfixture.decoding.PoolExhausted;
import dev.tessera.archfixture.gateway.CallsScheduler;
import dev.tessera.archfixture.gateway.DecodesItself;
import dev.tessera.archfixture.gateway.HoldsTensors;
import dev.tessera.archfixture.gateway.Routing;
import dev.tessera.archfixture.model.KnowsGateway;
import dev.tessera.archfixture.model.Pool;
import dev.tessera.archfixture.model.SpringInModel;
import dev.tessera.archfixture.sampling.Knob;
import dev.tessera.archfixture.scheduler.Queue;
import org.junit.jupiter.api.Test;

/**
 * Every architecture rule passes on compliant fixture classes and reports the planted violation
 * when its class joins them (fixtures under {@code dev.tessera.archfixture}, a miniature of the
 * real layout).
 */
class TesseraRulesTest {

  private static final TesseraRules RULES = new TesseraRules("dev.tessera.archfixture");

  /** Compliant classes of every fixture package. */
  private static final Class<?>[] COMPLIANT = {
      Strategy.class, Order.class, Knob.class, Pool.class, Decoder.class, Routing.class,
      Queue.class};

  @Test
  void theSharedModelRuleReportsASpringCall() {
    assertViolation(RULES.sharedModelIsFrameworkFree(), SpringInModel.class,
        "org.springframework.util.StringUtils");
  }

  @Test
  void theContractRuleReportsAnEngineTypeOnTheWire() {
    assertViolation(RULES.contractOwnsItsTypes(), EngineTypedOrder.class,
        "dev.tessera.archfixture.sampling.Knob");
  }

  @Test
  void theCycleRuleReportsTheExceptionThatClosesACycle() {
    assertViolation(RULES.noPackageCycles(), PoolExhausted.class, "Cycle detected");
  }

  @Test
  void theServiceRuleReportsAServiceCallingAnother() {
    assertViolation(RULES.usesNoOtherService("gateway"), CallsScheduler.class,
        "dev.tessera.archfixture.scheduler.Queue");
  }

  @Test
  void theSharedModelMayUseNoServiceAtAll() {
    assertViolation(RULES.usesNoOtherService(null), KnowsGateway.class,
        "dev.tessera.archfixture.gateway.Routing");
  }

  @Test
  void theRoutingRuleReportsTheModelLibraryInTheGateway() {
    assertViolation(RULES.routesWithoutEngine("gateway"), DecodesItself.class,
        "dev.tessera.archfixture.decoding.Decoder");
  }

  @Test
  void theRoutingRuleReportsDjlInTheGateway() {
    assertViolation(RULES.routesWithoutEngine("gateway"), HoldsTensors.class,
        "ai.djl.ndarray.NDManager");
  }

  private static void assertViolation(ArchRule rule, Class<?> planted, String named) {
    assertThatCode(() -> rule.check(classes()))
        .as("%s on the compliant fixtures", rule.getDescription())
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> rule.check(classes(planted)))
        .as("%s with %s planted", rule.getDescription(), planted.getSimpleName())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(planted.getName())
        .hasMessageContaining(named);
  }

  private static JavaClasses classes(Class<?>... planted) {
    Class<?>[] all = new Class<?>[COMPLIANT.length + planted.length];
    System.arraycopy(COMPLIANT, 0, all, 0, COMPLIANT.length);
    System.arraycopy(planted, 0, all, COMPLIANT.length, planted.length);
    return new ClassFileImporter().importClasses(all);
  }
}
