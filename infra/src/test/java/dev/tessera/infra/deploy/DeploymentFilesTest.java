package dev.tessera.infra.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tessera.infra.deploy.Manifests.Document;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The deployment files under infra/ match real schemas: every Kubernetes manifest under infra/k8s
 * the Kubernetes API's (strict: no unknown field), docker-compose.yml the Compose Specification's.
 * Each validator is shown to refuse mistakes planted into copies of the real files.
 */
class DeploymentFilesTest {

  @Test
  void everyKubernetesManifestMatchesTheKubernetesApiSchema() {
    List<Document> documents = Manifests.kubernetesDocuments();

    assertThat(documents).extracting(d -> d.tree().get("kind"))
        .contains("Namespace", "ConfigMap", "Secret", "Deployment", "Service", "PodDisruptionBudget",
            "HorizontalPodAutoscaler");
    assertThat(kubernetesProblems(documents)).isEmpty();
  }

  /** kustomize (built into kubectl, where kubectl is installed) renders the kustomization. */
  @Test
  void theKustomizationRendersManifestsThatMatchTheSchemaInTheTesseraNamespace() throws Exception {
    Optional<Path> kubectl = onPath("kubectl");
    assumeTrue(kubectl.isPresent(), "kubectl is not installed");
    Path errors = Files.createTempFile("kustomize", ".err");
    Process kustomize = new ProcessBuilder(kubectl.get().toString(), "kustomize", Manifests.KUBERNETES_DIR.toString())
        .redirectError(errors.toFile()).start();
    String rendered = new String(kustomize.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(kustomize.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(kustomize.exitValue()).as(Files.readString(errors)).isZero();
    Files.delete(errors);

    List<Document> documents = Manifests.documents(Path.of("kubectl-kustomize.yaml"), rendered);

    assertThat(documents).hasSize((int) Manifests.kubernetesDocuments().stream()
        .filter(d -> d.file().getParent().equals(Manifests.KUBERNETES_DIR)).count());
    assertThat(kubernetesProblems(documents)).isEmpty();
    assertThat(documents).filteredOn(d -> !d.tree().get("kind").equals("Namespace"))
        .allSatisfy(d -> assertThat(map(d.tree(), "metadata")).as(d.toString()).containsEntry("namespace", "tessera"));
  }

  @Test
  void theComposeFileMatchesTheComposeSpecification() {
    assertThat(ComposeSchema.problems(Manifests.load(Manifests.COMPOSE_FILE))).isEmpty();
  }

  static Stream<Arguments> plantedKubernetesMistakes() {
    return Stream.of(
        Arguments.of("a misspelled field", "livenesProbe",
            mistake(d -> container(d).put("livenesProbe", container(d).remove("livenessProbe")))),
        Arguments.of("a required field left out", "name", mistake(d -> container(d).remove("name"))),
        Arguments.of("a list given as a mapping", "containers",
            mistake(d -> podSpec(d).put("containers", container(d)))),
        Arguments.of("a number given as a word", "sixty",
            mistake(d -> podSpec(d).put("terminationGracePeriodSeconds", "sixty"))),
        Arguments.of("an API version that does not serve the kind", "apps/v1beta1/Deployment",
            mistake(d -> d.put("apiVersion", "apps/v1beta1"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("plantedKubernetesMistakes")
  void theKubernetesValidatorRefusesAPlantedMistake(String mistake, String named, Consumer<Map<String, Object>> plant) {
    Map<String, Object> deployment = copyOf(workerDeployment());
    assertThat(KubernetesSchema.problem(deployment)).as("the real worker Deployment").isEmpty();

    plant.accept(deployment);

    assertThat(KubernetesSchema.problem(deployment)).hasValueSatisfying(p -> assertThat(p).contains(named));
  }

  static Stream<Arguments> plantedComposeMistakes() {
    return Stream.of(
        Arguments.of("a misspelled service field", "restrat",
            mistake(c -> service(c, "worker").put("restrat", service(c, "worker").remove("restart")))),
        Arguments.of("an unknown dependency condition", "depends_on.postgres.condition",
            mistake(c -> dependency(c, "scheduler", "postgres").put("condition", "service_ready"))),
        Arguments.of("a misspelled healthcheck field", "intervall",
            mistake(c -> healthcheck(c, "worker").put("intervall", healthcheck(c, "worker").remove("interval")))),
        Arguments.of("a list given as a word", "ports", mistake(c -> service(c, "gateway-1").put("ports", "8080:8080"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("plantedComposeMistakes")
  void theComposeValidatorRefusesAPlantedMistake(String mistake, String named, Consumer<Map<String, Object>> plant) {
    Map<String, Object> compose = copyOf(Manifests.load(Manifests.COMPOSE_FILE));

    plant.accept(compose);

    assertThat(ComposeSchema.problems(compose)).anySatisfy(p -> assertThat(p).contains(named));
  }

  private static List<String> kubernetesProblems(List<Document> documents) {
    List<String> problems = new ArrayList<>();
    for (Document document : documents) {
      Optional<String> problem = KubernetesSchema.problem(document.tree());
      problem.ifPresent(p -> problems.add(document + ": " + p));
    }
    return problems;
  }

  private static Optional<Path> onPath(String command) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, command))
        .filter(Files::isExecutable)
        .findFirst();
  }

  private static Map<String, Object> workerDeployment() {
    return Manifests.kubernetesDocuments().stream()
        .filter(d -> d.tree().get("kind").equals("Deployment") && d.name().equals("tessera-worker"))
        .findFirst().orElseThrow().tree();
  }

  private static Consumer<Map<String, Object>> mistake(Consumer<Map<String, Object>> plant) {
    return plant;
  }

  private static Map<String, Object> podSpec(Map<String, Object> deployment) {
    return map(map(map(deployment, "spec"), "template"), "spec");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> container(Map<String, Object> deployment) {
    return ((List<Map<String, Object>>) podSpec(deployment).get("containers")).get(0);
  }

  private static Map<String, Object> service(Map<String, Object> compose, String name) {
    return map(map(compose, "services"), name);
  }

  private static Map<String, Object> dependency(Map<String, Object> compose, String service, String on) {
    return map(map(service(compose, service), "depends_on"), on);
  }

  private static Map<String, Object> healthcheck(Map<String, Object> compose, String service) {
    return map(service(compose, service), "healthcheck");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> tree, String key) {
    return (Map<String, Object>) tree.get(key);
  }

  /** A deep copy, so that a planted mistake stays in its copy. */
  @SuppressWarnings("unchecked")
  private static <T> T copyOf(T tree) {
    if (tree instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put((String) k, copyOf(v)));
      return (T) copy;
    }
    if (tree instanceof List<?> list) {
      return (T) list.stream().map(DeploymentFilesTest::copyOf).collect(java.util.stream.Collectors.toCollection(ArrayList::new));
    }
    return tree;
  }
}
