package dev.tessera.data;

/** Conversions between float32 and the 16-bit float formats (IEEE half and bfloat16), bit-exact. */
public final class HalfFloats {

  private HalfFloats() {}

  /** bfloat16 bits → float32: the bits are the upper half of a float32, so this is exact. */
  public static float bfloat16ToFloat(short bits) {
    return Float.intBitsToFloat((bits & 0xffff) << 16);
  }

  /** float32 → bfloat16 bits, rounding to nearest even (NaN stays NaN). */
  public static short floatToBfloat16(float f) {
    int x = Float.floatToRawIntBits(f);
    if (Float.isNaN(f)) {
      return (short) ((x >>> 16) | 0x40);
    }
    int rounding = 0x7fff + ((x >>> 16) & 1);
    return (short) ((x + rounding) >>> 16);
  }

  /** IEEE half bits → float32 (exact: every half value is a float32 value). */
  public static float halfToFloat(short bits) {
    int h = bits & 0xffff;
    int sign = (h & 0x8000) << 16;
    int exp = (h >>> 10) & 0x1f;
    int mant = h & 0x3ff;
    if (exp == 0x1f) { // inf or NaN
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      if (mant == 0) {
        return Float.intBitsToFloat(sign);
      }
      float v = mant * 0x1p-24f; // subnormal: mant × 2^-24
      return sign == 0 ? v : -v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  /** float32 → IEEE half bits, rounding to nearest even, overflow to infinity. */
  public static short floatToHalf(float f) {
    int x = Float.floatToRawIntBits(f);
    int sign = (x >>> 16) & 0x8000;
    if (Float.isNaN(f)) {
      return (short) (sign | 0x7e00);
    }
    float a = Math.abs(f);
    if (a >= 65520f) { // rounds to infinity
      return (short) (sign | 0x7c00);
    }
    if (a < 0x1p-14f) { // subnormal half (or zero): a multiple of 2^-24
      int m = Math.round(a * 0x1p24f); // Math.round is half-up; fix ties to even below
      float exact = a * 0x1p24f;
      if (exact - Math.floor(exact) == 0.5 && (m & 1) == 1) {
        m--;
      }
      return (short) (sign | m);
    }
    int abs = x & 0x7fffffff;
    int exp = (abs >>> 23) - 112;
    int mant = abs & 0x7fffff;
    int half = (exp << 10) | (mant >>> 13);
    int rest = mant & 0x1fff;
    if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
      half++; // a carry into the exponent is the correct rounding
    }
    return (short) (sign | half);
  }
}
