package dev.tessera.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import java.util.stream.Stream;

/**
 * The module rules of the architecture (docs: section 1, Modules) as ArchUnit rules. Each module's
 * {@code ArchitectureTest} checks the rules that concern it on its own main classes
 * ({@link ModuleClasses}); {@code TesseraRulesTest} shows that every rule reports a planted
 * violation. The packages are relative to a root: {@code dev.tessera} for the real code, another
 * for the planted fixtures.
 */
public final class TesseraRules {

  /** The rules of Tessera's own code. */
  public static final TesseraRules TESSERA = new TesseraRules("dev.tessera");

  /** The services' top packages: each its own module and process (Kafka and SQL between them). */
  public static final List<String> SERVICES = List.of("gateway", "scheduler", "worker");

  /** The composition root's package: it may use every module, no module may use it. */
  public static final String INFRA = "infra";

  /** What the shared model must not touch: application frameworks, messaging, HTTP servers. */
  static final String[] FRAMEWORKS = {
      "org.springframework..", "org.apache.kafka..", "javax.servlet..", "jakarta.servlet..",
      "jakarta.ws.rs..", "jakarta.websocket..", "org.redisson..", "java.net.http.."};

  private final String root;

  public TesseraRules(String root) {
    this.root = root;
  }

  /** Shared model: a library for every module, so no Spring, Kafka, servlet or Jakarta web type. */
  public ArchRule sharedModelIsFrameworkFree() {
    return noClasses().should().dependOnClassesThat().resideInAnyPackage(FRAMEWORKS)
        .as("the shared model uses no Spring, Kafka, servlet, Jakarta web, Redis or HTTP client"
            + " type")
        .because("every module, the offline commands included, links it; the services wire it");
  }

  /** The contract depends only on itself, the JDK and Jackson: it owns the types it carries. */
  public ArchRule contractOwnsItsTypes() {
    return classes().that().resideInAPackage(pkg("contract") + "..")
        .should().onlyDependOnClassesThat()
        .resideInAnyPackage(pkg("contract") + "..", "java..", "com.fasterxml.jackson..")
        .as("the contract depends only on itself, the JDK and Jackson")
        .because("the services that only route requests read it without the model library");
  }

  /**
   * No package cycles among the module's packages: each package (sub-packages apart) is a slice,
   * a service's root package too. Every module checks it on its own classes.
   */
  public ArchRule noPackageCycles() {
    return slices().matching(root + ".(**)").namingSlices("$1")
        .should().beFreeOfCycles()
        .as("packages under " + root + " are free of cycles");
  }

  /**
   * A module's classes use no service but {@code own} (null: none, the shared model) and never the
   * composition root.
   */
  public ArchRule usesNoOtherService(String own) {
    String[] others = Stream.concat(SERVICES.stream().filter(s -> !s.equals(own)), Stream.of(INFRA))
        .map(s -> pkg(s) + "..").toArray(String[]::new);
    return noClasses().should().dependOnClassesThat().resideInAnyPackage(others)
        .as((own == null ? "the shared model" : "the " + own) + " uses no "
            + (own == null ? "" : "other ") + "service and not infra")
        .because("services talk only through Kafka and PostgreSQL");
  }

  /**
   * A service that only routes requests (gateway, scheduler) uses no engine: from the shared model
   * only the contract and the process helpers, and no DJL type.
   */
  public ArchRule routesWithoutEngine(String service) {
    return noClasses().that().resideInAPackage(pkg(service) + "..")
        .should().dependOnClassesThat(resideInAPackage("ai.djl..")
            .or(resideInAPackage(root + "..").and(not(resideInAnyPackage(
                pkg(service) + "..", pkg("contract") + "..", pkg("process") + "..")))))
        .as("the " + service + " uses only the contract and process from the shared model, and no"
            + " DJL")
        .because("it routes requests; the model library and DJL stay with the worker");
  }

  private String pkg(String name) {
    return root + "." + name;
  }
}
