package dev.tessera.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small engine-free reader and writer of the safetensors format (8-byte little-endian header
 * length, JSON header, raw little-endian data), for the tokenizer codebook and token datasets, which
 * must load without the DJL engine. Tensors are written sorted by name, so the bytes are deterministic.
 */
public final class SafeTensors {

  private static final ObjectMapper JSON = new ObjectMapper();

  private SafeTensors() {}

  /** Writes tensors (sorted by name) and string metadata to {@code file}, creating parent folders. */
  public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata)
      throws IOException {
    Map<String, Tensor> sorted = new TreeMap<>(tensors);
    ObjectNode header = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = header.putObject("__metadata__");
      new TreeMap<>(metadata).forEach(meta::put);
    }
    long offset = 0;
    for (Map.Entry<String, Tensor> e : sorted.entrySet()) {
      Tensor t = e.getValue();
      ObjectNode node = header.putObject(e.getKey());
      node.put("dtype", t.dtype().name());
      var shape = node.putArray("shape");
      for (long d : t.shape()) {
        shape.add(d);
      }
      node.putArray("data_offsets").add(offset).add(offset + t.data().length);
      offset += t.data().length;
    }
    byte[] json = JSON.writeValueAsBytes(header);
    int padded = (json.length + 7) / 8 * 8;
    byte[] head = new byte[padded];
    java.util.Arrays.fill(head, (byte) ' ');
    System.arraycopy(json, 0, head, 0, json.length);
    if (file.toAbsolutePath().getParent() != null) {
      Files.createDirectories(file.toAbsolutePath().getParent());
    }
    try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
      out.write(head);
      for (Tensor t : sorted.values()) {
        out.write(t.data());
      }
    }
  }

  /** Reads every tensor of a file, in file order, one mapped region at a time. */
  public static Map<String, Tensor> read(Path file) throws IOException {
    try (SafeTensorsFile f = SafeTensorsFile.open(file)) {
      Map<String, Tensor> out = new LinkedHashMap<>();
      for (TensorInfo t : f.tensors()) {
        out.put(t.name(), new Tensor(t.dtype(), t.shape(), f.bytes(t)));
      }
      return out;
    }
  }

  /** Reads every tensor of a stream; {@code name} appears in error messages. */
  public static Map<String, Tensor> read(InputStream in, String name) throws IOException {
    JsonNode header = header(in, name);
    byte[] body = in.readAllBytes();
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("__metadata__")) {
        continue;
      }
      JsonNode off = e.getValue().get("data_offsets");
      long start = off.get(0).asLong();
      long end = off.get(1).asLong();
      if (start < 0 || end > body.length || end < start) {
        throw new IOException(name + ": tensor " + e.getKey() + " lies outside the file (truncated?)");
      }
      JsonNode shapeNode = e.getValue().get("shape");
      long[] shape = new long[shapeNode.size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = shapeNode.get(i).asLong();
      }
      DType dtype = DType.valueOf(e.getValue().get("dtype").asText());
      out.put(e.getKey(), new Tensor(dtype, shape, java.util.Arrays.copyOfRange(body, (int) start, (int) end)));
    }
    return out;
  }

  /** Reads only the {@code __metadata__} strings of a file (empty if it has none). */
  public static Map<String, String> readMetadata(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      JsonNode meta = header(in, file.toString()).get("__metadata__");
      Map<String, String> out = new TreeMap<>();
      if (meta != null) {
        meta.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
      }
      return out;
    }
  }

  static JsonNode header(InputStream in, String name) throws IOException {
    byte[] len = in.readNBytes(8);
    if (len.length != 8) {
      throw new IOException(name + ": not a safetensors file (shorter than 8 bytes)");
    }
    long headerLen = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (headerLen <= 0 || headerLen > 100_000_000) {
      throw new IOException(name + ": not a safetensors file (header length " + headerLen + ")");
    }
    byte[] json = in.readNBytes((int) headerLen);
    if (json.length != headerLen) {
      throw new IOException(name + ": truncated safetensors header");
    }
    return JSON.readTree(new String(json, StandardCharsets.UTF_8));
  }

  /** Element types this reader/writer handles. */
  public enum DType {
    /** 64-bit IEEE float. */
    F64(8),
    /** 32-bit IEEE float. */
    F32(4),
    /** 16-bit IEEE float (half). */
    F16(2),
    /** bfloat16: the upper half of a float32. */
    BF16(2),
    /** 64-bit signed integer. */
    I64(8),
    /** 32-bit signed integer. */
    I32(4),
    /** 16-bit signed integer. */
    I16(2),
    /** Signed byte. */
    I8(1),
    /** Unsigned byte. */
    U8(1),
    /** Boolean, one byte. */
    BOOL(1);

    private final int bytes;

    DType(int bytes) {
      this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
      return bytes;
    }

    /** Whether values of this type widen to float32 for the engine (F64 narrows). */
    public boolean isFloat() {
      return this == F64 || this == F32 || this == F16 || this == BF16;
    }
  }
}
