package dev.tessera.infra.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.infra.deploy.Manifests.Document;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1HTTPGetAction;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What no schema sees: the deployment files fit together and fit the services. Probes ask the
 * services' health groups on their ports, selectors select the pods they are meant for, every
 * referenced key exists, every Spring setting given as an environment variable binds to a property a
 * service reads, and each image's build context holds what its Dockerfile copies.
 */
class DeploymentWiringTest {

  /** The HTTP port of each service (server.port of its deployable). */
  private static final Map<String, Integer> PORTS =
      Map.of("tessera-gateway", 8080, "tessera-scheduler", 8081, "tessera-worker", 8082);
  private static final Pattern COPY = Pattern.compile("(?m)^COPY\\s+(\\S+)\\s+\\S+\\s*$");
  private static final Pattern SPRING_VARIABLE = Pattern.compile("\\b((?:SPRING|TESSERA)_[A-Z0-9_]+)=");

  private static final List<Document> DOCUMENTS = Manifests.kubernetesDocuments();

  @Test
  void eachServiceHasADeploymentWhoseProbesAskItsHealthGroupsOnItsPort() {
    assertThat(deployments()).extracting(d -> d.getMetadata().getName())
        .containsExactlyInAnyOrderElementsOf(PORTS.keySet());
    for (V1Deployment deployment : deployments()) {
      String name = deployment.getMetadata().getName();
      V1Container container = onlyContainer(deployment);
      assertThat(container.getPorts()).as(name).singleElement()
          .satisfies(port -> assertThat(port.getContainerPort()).isEqualTo(PORTS.get(name)));
      assertThat(probePath(container, container.getLivenessProbe())).as(name).isEqualTo("/actuator/health/liveness");
      assertThat(probePath(container, container.getReadinessProbe())).as(name).isEqualTo("/actuator/health/readiness");
      assertThat(probePath(container, container.getStartupProbe())).as(name).isEqualTo("/actuator/health/liveness");
      assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
          .as(name + ": Prometheus scrapes the service's port")
          .containsEntry("prometheus.io/port", String.valueOf(PORTS.get(name)))
          .containsEntry("prometheus.io/path", "/actuator/prometheus");
      assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels()).as(name + ": its selector selects its pods")
          .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
    }
  }

  @Test
  void workersDrainOnTerminationAndScaleOnTheWaitingRequests() {
    V1Deployment worker = deployment("tessera-worker");
    assertThat(worker.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).isGreaterThanOrEqualTo(60L);
    assertThat(worker.getSpec().getReplicas()).as("the autoscaler owns the worker count").isNull();

    V2HorizontalPodAutoscaler autoscaler = only(V2HorizontalPodAutoscaler.class);
    assertThat(autoscaler.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
    assertThat(autoscaler.getSpec().getScaleTargetRef().getName()).isEqualTo("tessera-worker");
    assertThat(autoscaler.getSpec().getMetrics()).singleElement()
        .satisfies(m -> assertThat(m.getExternal().getMetric().getName()).isEqualTo("tessera_requests_waiting"));
    assertThat(deployment("tessera-scheduler").getSpec().getReplicas()).as("one dispatches, one stands by").isEqualTo(2);
  }

  @Test
  void disruptionBudgetsAndTheGatewayServiceSelectTheirPods() {
    Map<String, String> budgeted = new HashMap<>();
    for (V1PodDisruptionBudget budget : all(V1PodDisruptionBudget.class)) {
      V1Deployment selected = selectedDeployment(budget.getSpec().getSelector().getMatchLabels());
      budgeted.put(selected.getMetadata().getName(), budget.getMetadata().getName());
    }
    assertThat(budgeted).containsKeys("tessera-worker", "tessera-scheduler");

    V1Service service = only(V1Service.class);
    V1Container gateway = onlyContainer(selectedDeployment(service.getSpec().getSelector()));
    assertThat(gateway.getName()).isEqualTo("gateway");
    assertThat(service.getSpec().getPorts()).singleElement()
        .satisfies(port -> assertThat(containerPort(gateway, port.getTargetPort())).isEqualTo(8080));
  }

  @Test
  void everyReferencedConfigMapKeyAndSecretKeyExists() {
    Map<String, Set<String>> keys = new HashMap<>();
    all(V1ConfigMap.class).forEach(c -> keys.put("ConfigMap " + c.getMetadata().getName(), c.getData().keySet()));
    all(V1Secret.class).forEach(s -> keys.put("Secret " + s.getMetadata().getName(), s.getStringData().keySet()));
    List<String> references = new ArrayList<>();
    for (V1Deployment deployment : deployments()) {
      for (V1EnvVar variable : onlyContainer(deployment).getEnv()) {
        var from = variable.getValueFrom();
        if (from != null && from.getConfigMapKeyRef() != null) {
          references.add("ConfigMap " + from.getConfigMapKeyRef().getName() + " " + from.getConfigMapKeyRef().getKey());
        }
        if (from != null && from.getSecretKeyRef() != null) {
          references.add("Secret " + from.getSecretKeyRef().getName() + " " + from.getSecretKeyRef().getKey());
        }
      }
    }
    assertThat(references).isNotEmpty().allSatisfy(reference -> {
      int key = reference.lastIndexOf(' ');
      assertThat(keys.getOrDefault(reference.substring(0, key), Set.of())).as(reference).contains(reference.substring(key + 1));
    });
  }

  @Test
  void everySpringSettingGivenAsAnEnvironmentVariableBindsToAPropertyOfTheServices() throws IOException {
    Set<String> variables = new TreeSet<>();
    for (V1Deployment deployment : deployments()) {
      onlyContainer(deployment).getEnv().forEach(v -> variables.add(v.getName()));
    }
    Map<String, Object> services = map(Manifests.load(Manifests.COMPOSE_FILE), "services");
    services.values().forEach(service -> {
      if (((Map<?, ?>) service).get("environment") instanceof Map<?, ?> environment) {
        environment.keySet().forEach(name -> variables.add((String) name));
      }
    });
    for (Path dockerfile : dockerfiles()) {
      Matcher matcher = SPRING_VARIABLE.matcher(Files.readString(dockerfile));
      while (matcher.find()) {
        variables.add(matcher.group(1));
      }
    }
    variables.removeIf(name -> !name.startsWith("SPRING_") && !name.startsWith("TESSERA_"));

    assertThat(variables).contains("SPRING_KAFKA_BOOTSTRAP_SERVERS", "SPRING_DATASOURCE_URL", "TESSERA_REDIS_ADDRESS",
        "TESSERA_WORKER_MODELS_DIR");
    assertThat(variables).allSatisfy(name -> assertThat(SpringProperties.binds(name)).as(name).isTrue());
    assertThat(SpringProperties.binds("TESSERA_WORKER_MODELDIR")).as("a misspelled variable binds to nothing").isFalse();
    assertThat(SpringProperties.binds("SPRING_KAFKA_BOOTSTRAP_SERVER")).as("a misspelled variable binds to nothing").isFalse();
  }

  @Test
  void theKustomizationListsEveryManifestBesideIt() throws IOException {
    Map<String, Object> kustomization = Manifests.load(Manifests.KUBERNETES_DIR.resolve(Manifests.KUSTOMIZATION));
    Set<String> beside = new TreeSet<>();
    try (Stream<Path> files = Files.list(Manifests.KUBERNETES_DIR)) {
      files.filter(Manifests::isYaml).map(f -> f.getFileName().toString())
          .filter(name -> !name.equals(Manifests.KUSTOMIZATION)).forEach(beside::add);
    }
    assertThat(kustomization.get("resources")).asList().containsExactlyInAnyOrderElementsOf(beside);
  }

  @Test
  void composeServicesDependOnServicesThatExistAndBuildFromDockerfilesThatExist() {
    Map<String, Object> services = map(Manifests.load(Manifests.COMPOSE_FILE), "services");
    for (var entry : services.entrySet()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> service = (Map<String, Object>) entry.getValue();
      if (service.get("depends_on") instanceof Map<?, ?> dependsOn) {
        assertThat(services.keySet()).as(entry.getKey() + " depends on").containsAll(keys(dependsOn));
      }
      if (service.get("build") instanceof Map<?, ?> build) {
        Path context = Manifests.INFRA.resolve((String) build.get("context")).normalize();
        assertThat(context.resolve((String) build.get("dockerfile"))).as(entry.getKey()).isRegularFile();
      }
    }
  }

  @Test
  void eachDockerIgnoreLetsThroughWhatItsDockerfileCopies() throws IOException {
    List<Path> dockerfiles = dockerfiles();
    assertThat(dockerfiles).hasSize(3);
    for (Path dockerfile : dockerfiles) {
      Path ignore = dockerfile.resolveSibling(dockerfile.getFileName() + ".dockerignore");
      List<String> rules = Files.readAllLines(ignore);
      Matcher copy = COPY.matcher(Files.readString(dockerfile));
      int copies = 0;
      while (copy.find()) {
        copies++;
        assertThat(rules).as(ignore.getFileName() + " (everything else is ignored)").contains("!" + copy.group(1));
      }
      assertThat(copies).as(dockerfile.getFileName().toString()).isPositive();
    }
  }

  private static List<Path> dockerfiles() throws IOException {
    try (Stream<Path> files = Files.list(Manifests.INFRA.resolve("docker"))) {
      return files.filter(f -> f.getFileName().toString().endsWith(".Dockerfile")).sorted().toList();
    }
  }

  private static List<V1Deployment> deployments() {
    return all(V1Deployment.class);
  }

  private static V1Deployment deployment(String name) {
    return deployments().stream().filter(d -> d.getMetadata().getName().equals(name)).findFirst().orElseThrow();
  }

  private static V1Deployment selectedDeployment(Map<String, String> selector) {
    List<V1Deployment> selected = deployments().stream()
        .filter(d -> d.getSpec().getTemplate().getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
        .toList();
    assertThat(selected).as("Deployments whose pods " + selector + " selects").hasSize(1);
    return selected.get(0);
  }

  private static <T> List<T> all(Class<T> model) {
    String kind = model.getSimpleName().substring(2);
    return DOCUMENTS.stream().filter(d -> kind.equals(d.tree().get("kind")))
        .map(d -> KubernetesSchema.read(d.tree(), model)).toList();
  }

  private static <T> T only(Class<T> model) {
    List<T> all = all(model);
    assertThat(all).as(model.getSimpleName()).hasSize(1);
    return all.get(0);
  }

  private static V1Container onlyContainer(V1Deployment deployment) {
    List<V1Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
    assertThat(containers).hasSize(1);
    return containers.get(0);
  }

  /** The path a probe asks, once its port is shown to be the container's. */
  private static String probePath(V1Container container, V1Probe probe) {
    assertThat(probe).as(container.getName() + " probe").isNotNull();
    V1HTTPGetAction get = probe.getHttpGet();
    assertThat(containerPort(container, get.getPort())).isEqualTo(container.getPorts().get(0).getContainerPort());
    return get.getPath();
  }

  private static Integer containerPort(V1Container container, IntOrString port) {
    if (port.isInteger()) {
      return port.getIntValue();
    }
    return container.getPorts().stream().filter(p -> port.getStrValue().equals(p.getName()))
        .findFirst().orElseThrow(() -> new AssertionError("no container port named " + port.getStrValue()))
        .getContainerPort();
  }

  private static Set<String> keys(Map<?, ?> map) {
    Set<String> keys = new TreeSet<>();
    map.keySet().forEach(k -> keys.add((String) k));
    return keys;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> tree, String key) {
    return (Map<String, Object>) tree.get(key);
  }
}
