package dev.tessera.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tensors of one safetensors file or of a Hugging Face sharded set, read tensor by tensor. For
 * {@code dir/model.safetensors}: that file when it exists, otherwise the shards that
 * {@code dir/model.safetensors.index.json} names in its {@code weight_map} (tensor name → shard file
 * next to the index). Not thread-safe.
 */
public final class SafeTensorsSet implements AutoCloseable {

  /** Suffix of a sharded set's index next to the single-file name it replaces. */
  public static final String INDEX_SUFFIX = ".index.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String source;
  private final List<SafeTensorsFile> files;
  private final Map<String, SafeTensorsFile> byTensor;

  private SafeTensorsSet(String source, List<SafeTensorsFile> files,
      Map<String, SafeTensorsFile> byTensor) {
    this.source = source;
    this.files = files;
    this.byTensor = byTensor;
  }

  /** Whether {@code file} or its sharded index exists. */
  public static boolean exists(Path file) {
    return Files.isRegularFile(file) || Files.isRegularFile(indexOf(file));
  }

  /** The sharded index that stands for {@code file}: {@code model.safetensors.index.json}. */
  public static Path indexOf(Path file) {
    return file.resolveSibling(file.getFileName() + INDEX_SUFFIX);
  }

  /** Opens {@code file}, or the shards of its index when the file itself does not exist. */
  public static SafeTensorsSet open(Path file) throws IOException {
    if (Files.isRegularFile(file)) {
      SafeTensorsFile f = SafeTensorsFile.open(file);
      Map<String, SafeTensorsFile> by = new LinkedHashMap<>();
      f.tensors().forEach(t -> by.put(t.name(), f));
      return new SafeTensorsSet(file.toString(), List.of(f), by);
    }
    Path index = indexOf(file);
    if (!Files.isRegularFile(index)) {
      throw new NoSuchFileException(file + " (nor a sharded index " + index.getFileName() + ")");
    }
    return openIndex(index);
  }

  private static SafeTensorsSet openIndex(Path index) throws IOException {
    JsonNode map = JSON.readTree(index.toFile()).get("weight_map");
    if (map == null || !map.isObject()) {
      throw new IOException(index + ": no weight_map object");
    }
    Map<String, SafeTensorsFile> shards = new LinkedHashMap<>();
    Map<String, SafeTensorsFile> byTensor = new LinkedHashMap<>();
    try {
      for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String shardName = e.getValue().asText();
        SafeTensorsFile shard = shards.get(shardName);
        if (shard == null) {
          shard = SafeTensorsFile.open(index.resolveSibling(shardName));
          shards.put(shardName, shard);
        }
        if (shard.get(e.getKey()) == null) {
          throw new IOException(index + ": weight_map puts tensor '" + e.getKey() + "' in "
              + shardName + ", which has no such tensor");
        }
        byTensor.put(e.getKey(), shard);
      }
      for (SafeTensorsFile shard : shards.values()) {
        for (TensorInfo t : shard.tensors()) {
          if (!byTensor.containsKey(t.name())) {
            throw new IOException(index + ": shard " + shard.file().getFileName() + " holds tensor '"
                + t.name() + "', which weight_map does not list");
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      for (SafeTensorsFile s : shards.values()) {
        s.close();
      }
      throw e;
    }
    return new SafeTensorsSet(index.toString(), new ArrayList<>(shards.values()), byTensor);
  }

  /** The file or index this set was opened from (for messages). */
  public String source() {
    return source;
  }

  /** Every tensor, shard by shard in index order. */
  public List<TensorInfo> tensors() {
    List<TensorInfo> out = new ArrayList<>();
    byTensor.forEach((name, f) -> out.add(f.get(name)));
    return out;
  }

  /** One tensor's values as float32 (see {@link SafeTensorsFile#floats}). */
  public float[] floats(TensorInfo t) throws IOException {
    return fileOf(t).floats(t);
  }

  /** A copy of one tensor's raw bytes. */
  public byte[] bytes(TensorInfo t) throws IOException {
    return fileOf(t).bytes(t);
  }

  private SafeTensorsFile fileOf(TensorInfo t) {
    SafeTensorsFile f = byTensor.get(t.name());
    if (f == null) {
      throw new IllegalArgumentException(source + " has no tensor '" + t.name() + "'");
    }
    return f;
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (SafeTensorsFile f : files) {
      try {
        f.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
