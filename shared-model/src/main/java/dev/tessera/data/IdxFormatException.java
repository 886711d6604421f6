package dev.tessera.data;

import java.io.IOException;

/** An IDX file that is truncated, has a bad magic number or an unsupported element type. */
public final class IdxFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  /** @param message what is wrong, naming the file */
  public IdxFormatException(String message) {
    super(message);
  }
}
