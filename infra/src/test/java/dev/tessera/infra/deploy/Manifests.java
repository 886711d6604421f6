package dev.tessera.infra.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The deployment files of {@code infra/} as YAML trees (merge keys resolved, as compose does). */
final class Manifests {

  /** infra/: Surefire runs the tests in the module's directory. */
  static final Path INFRA = Path.of("").toAbsolutePath();
  static final Path COMPOSE_FILE = INFRA.resolve("docker-compose.yml");
  static final Path KUBERNETES_DIR = INFRA.resolve("k8s");
  static final String KUSTOMIZATION = "kustomization.yaml";

  private Manifests() {}

  /** A YAML document of a file. */
  record Document(Path file, int index, Map<String, Object> tree) {
    @Override
    public String toString() {
      return (file.isAbsolute() ? INFRA.relativize(file) : file) + " #" + index + " (" + tree.get("kind") + " " + name() + ")";
    }

    String name() {
      return tree.get("metadata") instanceof Map<?, ?> metadata ? String.valueOf(metadata.get("name")) : "";
    }
  }

  /** Every Kubernetes manifest under infra/k8s (all folders), the kustomization excepted. */
  static List<Document> kubernetesDocuments() {
    try (Stream<Path> files = Files.walk(KUBERNETES_DIR)) {
      List<Document> documents = new ArrayList<>();
      files.filter(Manifests::isYaml)
          .filter(file -> !file.getFileName().toString().equals(KUSTOMIZATION))
          .sorted()
          .forEach(file -> documents.addAll(documents(file, read(file))));
      return documents;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Document> documents(Path file, String yaml) {
    List<Document> documents = new ArrayList<>();
    for (Object tree : yaml().loadAll(yaml)) {
      if (tree != null) {
        documents.add(new Document(file, documents.size(), asMap(tree, file)));
      }
    }
    return documents;
  }

  static Map<String, Object> load(Path file) {
    return asMap(yaml().load(read(file)), file);
  }

  static boolean isYaml(Path file) {
    String name = file.getFileName().toString();
    return Files.isRegularFile(file) && (name.endsWith(".yaml") || name.endsWith(".yml"));
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Yaml yaml() {
    return new Yaml(new SafeConstructor(new LoaderOptions()));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object tree, Path file) {
    if (!(tree instanceof Map<?, ?>)) {
      throw new IllegalArgumentException(file + ": a document is not a mapping: " + tree);
    }
    return (Map<String, Object>) tree;
  }
}
