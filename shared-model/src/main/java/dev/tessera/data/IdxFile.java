package dev.tessera.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * An unsigned-byte IDX file (the MNIST format): magic {@code 0x0000_08_NN} where 0x08 is the ubyte
 * element type and NN the number of dimensions, then NN big-endian int32 sizes, then the data.
 * Gzip-compressed and plain files are both read (detected by the gzip magic, not the file name).
 *
 * @param dims the sizes, outermost first (e.g. {@code [60000, 28, 28]})
 * @param data the elements in row-major order, {@code product(dims)} bytes (not copied: do not modify)
 */
public record IdxFile(int[] dims, byte[] data) {

  /** IDX element type code for unsigned bytes. */
  public static final int UBYTE = 0x08;

  /** Validates that the data length matches the dimensions. */
  public IdxFile {
    dims = dims.clone();
    if (dims.length == 0 || Arrays.stream(dims).anyMatch(d -> d < 0)) {
      throw new IllegalArgumentException("bad IDX dims " + Arrays.toString(dims));
    }
    if (count(dims) != data.length) {
      throw new IllegalArgumentException(
          "IDX dims " + Arrays.toString(dims) + " need " + count(dims) + " bytes, got " + data.length);
    }
  }

  /** Reads a file; {@code name} in errors is its path. */
  public static IdxFile read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new java.io.FileNotFoundException("IDX file not found: " + file);
    }
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString());
    }
  }

  /**
   * Reads an IDX stream (gzip or plain).
   *
   * @param name shown in error messages
   * @throws IdxFormatException if the magic number, element type or length is wrong
   */
  public static IdxFile read(InputStream raw, String name) throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
    buffered.mark(2);
    int b0 = buffered.read();
    int b1 = buffered.read();
    buffered.reset();
    InputStream in = (b0 == 0x1f && b1 == 0x8b) ? new GZIPInputStream(buffered, 1 << 16) : buffered;
    DataInputStream data = new DataInputStream(in);
    int magic;
    try {
      magic = data.readInt();
    } catch (EOFException e) {
      throw new IdxFormatException(name + ": empty or truncated file (no 4-byte IDX magic number)");
    }
    int type = (magic >>> 8) & 0xff;
    int rank = magic & 0xff;
    if ((magic >>> 16) != 0 || rank == 0) {
      throw new IdxFormatException(String.format(
          "%s: bad IDX magic number 0x%08x (expected 0x000008NN with NN = number of dimensions)", name, magic));
    }
    if (type != UBYTE) {
      throw new IdxFormatException(String.format(
          "%s: unsupported IDX element type 0x%02x (only 0x08 unsigned byte is supported)", name, type));
    }
    int[] dims = new int[rank];
    try {
      for (int i = 0; i < rank; i++) {
        dims[i] = data.readInt();
      }
    } catch (EOFException e) {
      throw new IdxFormatException(name + ": truncated header (expected " + rank + " dimension sizes)");
    }
    long n = count(dims);
    if (Arrays.stream(dims).anyMatch(d -> d < 0) || n > Integer.MAX_VALUE - 8) {
      throw new IdxFormatException(name + ": bad IDX dimensions " + Arrays.toString(dims));
    }
    byte[] bytes = data.readNBytes((int) n);
    if (bytes.length != n) {
      throw new IdxFormatException(String.format(
          "%s: truncated data: dimensions %s need %d bytes, file has %d", name, Arrays.toString(dims), n, bytes.length));
    }
    if (data.read() != -1) {
      throw new IdxFormatException(name + ": trailing bytes after " + n + " data bytes of " + Arrays.toString(dims));
    }
    return new IdxFile(dims, bytes);
  }

  /** Writes this file, gzip-compressed when {@code gzip} (deterministic bytes: no gzip timestamp is set). */
  public void write(OutputStream out, boolean gzip) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (OutputStream target = gzip ? new GZIPOutputStream(buf) : buf;
        DataOutputStream data = new DataOutputStream(target)) {
      data.writeInt((UBYTE << 8) | dims.length);
      for (int d : dims) {
        data.writeInt(d);
      }
      data.write(this.data);
    }
    out.write(buf.toByteArray());
  }

  /** The number of items along the first dimension. */
  public int count() {
    return dims[0];
  }

  @Override
  public int[] dims() {
    return dims.clone();
  }

  private static long count(int[] dims) {
    long n = 1;
    for (int d : dims) {
      n *= d;
    }
    return n;
  }
}
