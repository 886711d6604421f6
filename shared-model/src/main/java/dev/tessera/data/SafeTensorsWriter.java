package dev.tessera.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.data.SafeTensors.DType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes safetensors tensor by tensor: the header is made from names, dtypes and shapes alone, then
 * each tensor's bytes are fetched and written in turn, so a checkpoint of any size converts with one
 * tensor in memory. Above {@code maxShardBytes} of data it writes the Hugging Face sharded layout
 * ({@code model-00001-of-0000N.safetensors} and {@code model.safetensors.index.json}).
 */
public final class SafeTensorsWriter {

  private static final ObjectMapper JSON = new ObjectMapper();

  private SafeTensorsWriter() {}

  /** The bytes of one tensor, fetched when it is written. */
  @FunctionalInterface
  public interface Bytes {
    byte[] get() throws IOException;
  }

  /**
   * One tensor to write.
   *
   * @param name tensor name
   * @param dtype element type
   * @param shape sizes, outermost first
   * @param bytes its little-endian row-major bytes, {@code product(shape) × dtype.bytes()} of them
   */
  public record Entry(String name, DType dtype, long[] shape, Bytes bytes) {

    /** Bytes this tensor takes. */
    public long byteCount() {
      return Arrays.stream(shape).reduce(1, (a, b) -> a * b) * dtype.bytes();
    }
  }

  /**
   * Writes {@code entries} as {@code dir/<base>.safetensors}, or as shards of at most
   * {@code maxShardBytes} of tensor data each (a tensor larger than that gets a shard of its own)
   * plus {@code dir/<base>.safetensors.index.json}.
   *
   * @return the files written, the index last when sharded
   */
  public static List<Path> write(Path dir, String base, List<Entry> entries,
      Map<String, String> metadata, long maxShardBytes) throws IOException {
    Files.createDirectories(dir);
    List<List<Entry>> shards = new ArrayList<>();
    List<Entry> current = new ArrayList<>();
    long size = 0;
    long total = 0;
    for (Entry e : entries) {
      if (!current.isEmpty() && size + e.byteCount() > maxShardBytes) {
        shards.add(current);
        current = new ArrayList<>();
        size = 0;
      }
      current.add(e);
      size += e.byteCount();
      total += e.byteCount();
    }
    shards.add(current);
    Path single = dir.resolve(base + ".safetensors");
    if (shards.size() == 1) {
      writeFile(single, entries, metadata);
      Files.deleteIfExists(SafeTensorsSet.indexOf(single));
      return List.of(single);
    }
    List<Path> written = new ArrayList<>();
    ObjectNode index = JSON.createObjectNode();
    index.putObject("metadata").put("total_size", total);
    ObjectNode map = index.putObject("weight_map");
    for (int i = 0; i < shards.size(); i++) {
      String name = String.format("%s-%05d-of-%05d.safetensors", base, i + 1, shards.size());
      writeFile(dir.resolve(name), shards.get(i), metadata);
      shards.get(i).forEach(e -> map.put(e.name(), name));
      written.add(dir.resolve(name));
    }
    Files.deleteIfExists(single);
    Path indexFile = SafeTensorsSet.indexOf(single);
    Files.writeString(indexFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(index));
    written.add(indexFile);
    return written;
  }

  /** Writes one file (atomically: a temporary sibling renamed into place). */
  public static void writeFile(Path file, List<Entry> entries, Map<String, String> metadata)
      throws IOException {
    ObjectNode header = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = header.putObject("__metadata__");
      metadata.forEach(meta::put);
    }
    long offset = 0;
    Map<String, Entry> byName = new LinkedHashMap<>();
    for (Entry e : entries) {
      if (byName.put(e.name(), e) != null) {
        throw new IllegalArgumentException("tensor '" + e.name() + "' given twice");
      }
      ObjectNode node = header.putObject(e.name());
      node.put("dtype", e.dtype().name());
      var shape = node.putArray("shape");
      for (long d : e.shape()) {
        shape.add(d);
      }
      node.putArray("data_offsets").add(offset).add(offset + e.byteCount());
      offset += e.byteCount();
    }
    byte[] json = JSON.writeValueAsBytes(header);
    int padded = (json.length + 7) / 8 * 8;
    byte[] head = new byte[padded];
    Arrays.fill(head, (byte) ' ');
    System.arraycopy(json, 0, head, 0, json.length);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
      out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
      out.write(head);
      for (Entry e : entries) {
        byte[] b = e.bytes().get();
        if (b.length != e.byteCount()) {
          throw new IOException("tensor '" + e.name() + "' " + e.dtype() + Arrays.toString(e.shape())
              + " gave " + b.length + " bytes, expected " + e.byteCount());
        }
        out.write(b);
      }
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
