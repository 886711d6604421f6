package dev.tessera.infra.deploy;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a manifest against the Kubernetes API schema, through the models of the official Kubernetes
 * Java client (io.kubernetes:client-java-api), which are generated from the Kubernetes OpenAPI spec.
 * Reading a model validates the JSON first: a field the schema does not define, a required field
 * left out or a value of the wrong JSON kind is refused, and then gson refuses a value of the wrong
 * type (a number field given a word). Strict like {@code kubectl apply --validate=strict}.
 */
final class KubernetesSchema {

  /** The API versions and kinds the deployment files use; any other is refused, not waved through. */
  private static final Map<String, Class<?>> MODELS =
      Map.of(
          "v1/Namespace", V1Namespace.class,
          "v1/ConfigMap", V1ConfigMap.class,
          "v1/Secret", V1Secret.class,
          "v1/Service", V1Service.class,
          "apps/v1/Deployment", V1Deployment.class,
          "policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class,
          "autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class);

  private static final Gson PLAIN = new Gson();

  private KubernetesSchema() {}

  /** What is wrong with a manifest; empty when it matches its kind's schema. */
  static Optional<String> problem(Map<String, Object> manifest) {
    String type = manifest.get("apiVersion") + "/" + manifest.get("kind");
    Class<?> model = MODELS.get(type);
    if (model == null) {
      return Optional.of("no schema for apiVersion/kind " + type + " (known: " + List.copyOf(MODELS.keySet()) + ")");
    }
    try {
      read(manifest, model);
      return Optional.empty();
    } catch (IllegalArgumentException | JsonParseException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** The manifest as its model, validated on the way. */
  static <T> T read(Map<String, Object> manifest, Class<T> model) {
    JsonElement json = PLAIN.toJsonTree(manifest);
    return JSON.getGson().fromJson(json, model);
  }
}
