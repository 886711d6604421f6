package dev.tessera.gateway.problem;

/**
 * Quotes client input back in a problem's {@code detail}: at most {@link #MAX_VALUE} characters,
 * control and invisible characters written as a backslash, u and hex digits, so that a 10 MB field
 * or a NUL byte never travels back whole. Pure.
 */
public final class Echo {

  /** Longest quoted value, in characters, before the rest is cut off. */
  public static final int MAX_VALUE = 64;

  private Echo() {}

  /** A client's value as it may be quoted: escaped and cut to {@link #MAX_VALUE} characters. */
  public static String value(Object value) {
    return text(String.valueOf(value), MAX_VALUE);
  }

  /**
   * Text escaped as {@link #value} does and cut to {@code max} characters; a cut says how long the
   * whole was.
   */
  public static String text(String text, int max) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 16);
    int i = 0;
    int shown = 0;
    while (i < text.length() && shown < max) {
      int c = text.codePointAt(i);
      if (isPrintable(c) || c == ' ') {
        out.appendCodePoint(c);
      } else {
        out.append(String.format("\\u%04X", c));
      }
      i += Character.charCount(c);
      shown++;
    }
    if (i < text.length()) {
      out.append("… (").append(text.length()).append(" characters in all)");
    }
    return out.toString();
  }
  /** Whether a code point is visible: a letter, mark, number, punctuation or symbol. */
  public static boolean isPrintable(int codePoint) {
    return switch (Character.getType(codePoint)) {
      case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
          Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
          Character.SPACE_SEPARATOR -> false;
      default -> true;
    };
  }
}
