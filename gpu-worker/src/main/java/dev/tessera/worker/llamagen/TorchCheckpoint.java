package dev.tessera.worker.llamagen;

import dev.tessera.data.SafeTensors.DType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

/**
 * A PyTorch checkpoint in the zip format {@code torch.save} writes since 1.6: {@code <a>/data.pkl} (the
 * pickled object, whose tensors refer to storages by persistent id) and {@code <a>/data/<key>} (each
 * storage's raw little-endian bytes). The pickle is read with razorvine's unpickler and a few torch
 * rebuild functions; tensor bytes are read from the zip only when asked for, one tensor at a time.
 * Legacy (pre-1.6, non-zip) files are refused with a message saying how to re-save them.
 */
public final class TorchCheckpoint implements AutoCloseable {

  /** Where a tensor's bytes are: a storage, an element offset, a size and strides. */
  public record TensorRef(String storageKey, DType dtype, long offset, long[] shape, long[] stride) {

    /** Elements. */
    public long elements() {
      return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    }

    /** Whether the strides are row-major contiguous (what safetensors stores). */
    public boolean contiguous() {
      long expect = 1;
      for (int i = shape.length - 1; i >= 0; i--) {
        if (shape[i] != 1 && stride[i] != expect) {
          return false;
        }
        expect *= shape[i];
      }
      return true;
    }
  }

  private record StorageType(DType dtype) implements IObjectConstructor {
    @Override
    public Object construct(Object[] args) {
      throw new PickleException("a torch storage type is not called in a checkpoint");
    }
  }

  private record StorageRef(String key, DType dtype) {}

  /** An OrderedDict; its {@code _metadata} attribute (BUILD state) is dropped. */
  public static final class PyOrderedDict extends LinkedHashMap<Object, Object> {
    private static final long serialVersionUID = 1L;

    public void __setstate__(HashMap<?, ?> state) {
      // torch's state_dict carries _metadata (module versions); nothing here needs it
    }
  }

  static {
    Map<String, DType> storages = Map.of("FloatStorage", DType.F32, "HalfStorage", DType.F16,
        "BFloat16Storage", DType.BF16, "DoubleStorage", DType.F64, "LongStorage", DType.I64,
        "IntStorage", DType.I32, "ShortStorage", DType.I16, "CharStorage", DType.I8,
        "ByteStorage", DType.U8, "BoolStorage", DType.BOOL);
    storages.forEach((name, dtype) -> Unpickler.registerConstructor("torch", name,
        new StorageType(dtype)));
    Unpickler.registerConstructor("collections", "OrderedDict", args -> new PyOrderedDict());
    Unpickler.registerConstructor("torch._utils", "_rebuild_tensor_v2", TorchCheckpoint::rebuild);
    Unpickler.registerConstructor("torch._utils", "_rebuild_tensor", TorchCheckpoint::rebuild);
    Unpickler.registerConstructor("torch._utils", "_rebuild_parameter", args -> args[0]);
  }

  private final Path file;
  private final ZipFile zip;
  private final String prefix;
  private final Object root;

  private TorchCheckpoint(Path file, ZipFile zip, String prefix, Object root) {
    this.file = file;
    this.zip = zip;
    this.prefix = prefix;
    this.root = root;
  }

  /** Opens a checkpoint and unpickles its object tree (tensors stay in the zip). */
  public static TorchCheckpoint open(Path file) throws IOException {
    ZipFile zip;
    try {
      zip = new ZipFile(file.toFile());
    } catch (java.util.zip.ZipException e) {
      throw new IOException(file + " is not a PyTorch zip checkpoint (torch.save since 1.6); "
          + "re-save it with torch.save(torch.load(f), f2)", e);
    }
    try {
      String prefix = null;
      for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
        String n = en.nextElement().getName();
        if (n.endsWith("/data.pkl")) {
          prefix = n.substring(0, n.length() - "data.pkl".length());
          break;
        }
      }
      if (prefix == null) {
        throw new IOException(file + ": no data.pkl in the zip; not a PyTorch checkpoint");
      }
      ZipEntry order = zip.getEntry(prefix + "byteorder");
      if (order != null) {
        try (InputStream in = zip.getInputStream(order)) {
          String o = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
          if (!o.equals("little")) {
            throw new IOException(file + ": byte order '" + o + "'; only little-endian is read");
          }
        }
      }
      Object root;
      try (InputStream in = zip.getInputStream(zip.getEntry(prefix + "data.pkl"))) {
        Unpickler u = new Unpickler() {
          @Override
          protected Object persistentLoad(Object pid) {
            Object[] t = (Object[]) pid; // ('storage', storage_type, key, location, numel)
            if (t.length < 3 || !"storage".equals(t[0]) || !(t[1] instanceof StorageType type)) {
              throw new PickleException("unknown persistent id " + Arrays.deepToString(t));
            }
            return new StorageRef(String.valueOf(t[2]), type.dtype());
          }
        };
        root = u.load(in);
      } catch (PickleException e) {
        throw new IOException(file + ": cannot read the checkpoint's pickle: " + e.getMessage(), e);
      }
      return new TorchCheckpoint(file, zip, prefix, root);
    } catch (IOException | RuntimeException e) {
      zip.close();
      throw e;
    }
  }

  private static Object rebuild(Object[] args) {
    StorageRef s = (StorageRef) args[0];
    return new TensorRef(s.key(), s.dtype(), ((Number) args[1]).longValue(), longs(args[2]),
        longs(args[3]));
  }

  private static long[] longs(Object tuple) {
    Object[] t = (Object[]) tuple;
    long[] out = new long[t.length];
    for (int i = 0; i < t.length; i++) {
      out[i] = ((Number) t[i]).longValue();
    }
    return out;
  }

  /** The file this was opened from. */
  public Path file() {
    return file;
  }

  /** The unpickled top-level object (usually a dict). */
  public Object root() {
    return root;
  }

  /**
   * The state dict: the top-level entry named by the first of {@code keys} present (e.g. {@code model},
   * {@code ema}), or the top level itself when it maps names to tensors directly.
   *
   * @return tensor name → tensor, in checkpoint order
   */
  public Map<String, TensorRef> stateDict(List<String> keys) throws IOException {
    if (!(root instanceof Map<?, ?> top)) {
      throw new IOException(file + ": the checkpoint holds a " + typeName(root) + ", not a dict");
    }
    Object sd = null;
    for (String k : keys) {
      if (top.containsKey(k)) {
        sd = top.get(k);
        break;
      }
    }
    if (sd == null && !top.isEmpty() && top.values().stream().allMatch(v -> v instanceof TensorRef)) {
      sd = top;
    }
    if (!(sd instanceof Map<?, ?> m)) {
      throw new IOException(file + ": no state dict under " + keys + "; top-level keys are "
          + top.keySet());
    }
    Map<String, TensorRef> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (e.getValue() instanceof TensorRef t) {
        out.put(String.valueOf(e.getKey()), t);
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** A tensor's little-endian row-major bytes (it must be contiguous, as state-dict tensors are). */
  public byte[] bytes(String name, TensorRef t) throws IOException {
    if (!t.contiguous()) {
      throw new IOException(file + ": tensor '" + name + "' is not contiguous (stride "
          + Arrays.toString(t.stride()) + " for shape " + Arrays.toString(t.shape()) + ")");
    }
    long n = t.elements() * t.dtype().bytes();
    if (n > Integer.MAX_VALUE - 16) {
      throw new IOException(file + ": tensor '" + name + "' has " + n + " bytes; over 2 GiB");
    }
    ZipEntry entry = zip.getEntry(prefix + "data/" + t.storageKey());
    if (entry == null) {
      throw new IOException(file + ": storage " + t.storageKey() + " of tensor '" + name
          + "' is missing from the zip");
    }
    try (InputStream in = zip.getInputStream(entry)) {
      in.skipNBytes(t.offset() * t.dtype().bytes());
      byte[] b = in.readNBytes((int) n);
      if (b.length != n) {
        throw new IOException(file + ": storage " + t.storageKey() + " of tensor '" + name
            + "' is shorter than the tensor");
      }
      return b;
    }
  }

  private static String typeName(Object o) {
    return o == null ? "None" : o.getClass().getSimpleName();
  }

  @Override
  public void close() throws IOException {
    zip.close();
  }
}
