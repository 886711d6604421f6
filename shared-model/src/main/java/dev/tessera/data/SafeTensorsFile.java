package dev.tessera.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.data.SafeTensors.DType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One safetensors file opened for reading tensor by tensor: the header is parsed once and each tensor
 * is memory-mapped on its own ({@link FileChannel#map} over its byte range), so a file of any size
 * loads with one tensor's worth of extra memory, and offsets beyond 2 GiB are fine. Only a single
 * tensor must stay under 2 GiB (a Java array's limit). Not thread-safe.
 */
public final class SafeTensorsFile implements AutoCloseable {

  private final Path file;
  private final FileChannel channel;
  private final Map<String, TensorInfo> tensors;

  private SafeTensorsFile(Path file, FileChannel channel, Map<String, TensorInfo> tensors) {
    this.file = file;
    this.channel = channel;
    this.tensors = tensors;
  }

  /** Opens {@code file} and reads its header; the tensors stay on disk until asked for. */
  public static SafeTensorsFile open(Path file) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      JsonNode header = SafeTensors.header(Channels.newInputStream(channel.position(0)),
          file.toString());
      long dataStart = 8 + ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
          .put(readHead(channel)).flip().getLong();
      long size = channel.size();
      Map<String, TensorInfo> out = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getKey().equals("__metadata__")) {
          out.put(e.getKey(), info(file, e.getKey(), e.getValue(), dataStart, size));
        }
      }
      return new SafeTensorsFile(file, channel, Collections.unmodifiableMap(out));
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static byte[] readHead(FileChannel channel) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(8);
    channel.read(b, 0);
    return b.array();
  }

  private static TensorInfo info(Path file, String name, JsonNode node, long dataStart, long size)
      throws IOException {
    JsonNode dtypeNode = node.get("dtype");
    JsonNode shapeNode = node.get("shape");
    JsonNode off = node.get("data_offsets");
    if (dtypeNode == null || shapeNode == null || off == null || off.size() != 2) {
      throw new IOException(file + ": tensor '" + name + "' lacks dtype, shape or data_offsets");
    }
    DType dtype;
    try {
      dtype = DType.valueOf(dtypeNode.asText());
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": tensor '" + name + "' has unsupported dtype "
          + dtypeNode.asText(), e);
    }
    long[] shape = new long[shapeNode.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = shapeNode.get(i).asLong();
    }
    TensorInfo t = new TensorInfo(name, dtype, shape, dataStart + off.get(0).asLong(),
        dataStart + off.get(1).asLong());
    if (t.start() < dataStart || t.end() > size || t.end() < t.start()) {
      throw new IOException(file + ": tensor '" + name + "' lies outside the file (bytes "
          + t.start() + ".." + t.end() + " of " + size + "; truncated?)");
    }
    if (t.byteCount() != t.elements() * dtype.bytes()) {
      throw new IOException(file + ": tensor '" + name + "' " + t.describe() + " needs "
          + t.elements() * dtype.bytes() + " bytes, its offsets span " + t.byteCount());
    }
    return t;
  }

  /** The file this was opened from. */
  public Path file() {
    return file;
  }

  /** Every tensor, in header order. */
  public List<TensorInfo> tensors() {
    return new ArrayList<>(tensors.values());
  }

  /** A tensor's location, or null when the file has no tensor of that name. */
  public TensorInfo get(String name) {
    return tensors.get(name);
  }

  /** Maps one tensor's bytes (little-endian, read-only). */
  public ByteBuffer map(TensorInfo t) throws IOException {
    if (t.byteCount() > Integer.MAX_VALUE) {
      throw new IOException(file + ": tensor '" + t.name() + "' " + t.describe() + " is "
          + t.byteCount() + " bytes; one tensor must stay under 2 GiB");
    }
    MappedByteBuffer m = channel.map(FileChannel.MapMode.READ_ONLY, t.start(), t.byteCount());
    return m.order(ByteOrder.LITTLE_ENDIAN);
  }

  /** A copy of one tensor's raw bytes. */
  public byte[] bytes(TensorInfo t) throws IOException {
    byte[] out = new byte[(int) t.byteCount()];
    map(t).get(out);
    return out;
  }

  /**
   * One floating-point tensor's values as float32: F32 as stored, F16 and BF16 widened, F64 rounded.
   * The widening happens here, in Java, so the engine only ever sees float32.
   */
  public float[] floats(TensorInfo t) throws IOException {
    ByteBuffer b = map(t);
    float[] out = new float[(int) t.elements()];
    switch (t.dtype()) {
      case F32 -> {
        FloatBuffer f = b.asFloatBuffer();
        f.get(out);
      }
      case F16 -> {
        for (int i = 0; i < out.length; i++) {
          out[i] = HalfFloats.halfToFloat(b.getShort(2 * i));
        }
      }
      case BF16 -> {
        for (int i = 0; i < out.length; i++) {
          out[i] = HalfFloats.bfloat16ToFloat(b.getShort(2 * i));
        }
      }
      case F64 -> {
        for (int i = 0; i < out.length; i++) {
          out[i] = (float) b.getDouble(8 * i);
        }
      }
      default -> throw new IOException(file + ": tensor '" + t.name() + "' is " + t.describe()
          + ", not a floating-point type (F32, F16, BF16 or F64)");
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
