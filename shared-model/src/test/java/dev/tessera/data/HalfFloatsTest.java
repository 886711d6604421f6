package dev.tessera.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HalfFloatsTest {

  @Test
  void knownHalfBitPatternsDecodeToTheirValues() {
    assertThat(HalfFloats.halfToFloat((short) 0x3c00)).isEqualTo(1f);
    assertThat(HalfFloats.halfToFloat((short) 0xc000)).isEqualTo(-2f);
    assertThat(HalfFloats.halfToFloat((short) 0x7bff)).as("largest half").isEqualTo(65504f);
    assertThat(HalfFloats.halfToFloat((short) 0x0001)).as("smallest subnormal").isEqualTo(0x1p-24f);
    assertThat(HalfFloats.halfToFloat((short) 0x0400)).as("smallest normal").isEqualTo(0x1p-14f);
    assertThat(HalfFloats.halfToFloat((short) 0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
    assertThat(HalfFloats.halfToFloat((short) 0x7e00)).isNaN();
  }

  @Test
  void everyHalfValueSurvivesARoundTripThroughFloat() {
    for (int h = 0; h < 0x10000; h++) {
      float f = HalfFloats.halfToFloat((short) h);
      if (!Float.isNaN(f)) {
        assertThat(HalfFloats.floatToHalf(f) & 0xffff).as("half 0x%04x = %s", h, f).isEqualTo(h);
      }
    }
  }

  @Test
  void floatToHalfRoundsToNearestEven() {
    float halfUlpAboveOne = 1f + 0x1p-11f; // exactly between 1 and the next half
    assertThat(HalfFloats.floatToHalf(halfUlpAboveOne)).as("tie goes to the even 1.0").isEqualTo((short) 0x3c00);
    assertThat(HalfFloats.floatToHalf(Math.nextUp(halfUlpAboveOne))).isEqualTo((short) 0x3c01);
    assertThat(HalfFloats.floatToHalf(70000f)).as("overflow").isEqualTo((short) 0x7c00);
  }

  @Test
  void bfloat16IsTheUpperHalfOfAFloat() {
    assertThat(HalfFloats.bfloat16ToFloat((short) 0x3f80)).isEqualTo(1f);
    assertThat(HalfFloats.bfloat16ToFloat((short) 0xc049)).isEqualTo(Float.intBitsToFloat(0xc0490000));
    for (int b = 0; b < 0x10000; b += 7) {
      float f = HalfFloats.bfloat16ToFloat((short) b);
      if (!Float.isNaN(f)) {
        assertThat(HalfFloats.floatToBfloat16(f) & 0xffff).as("bf16 0x%04x", b).isEqualTo(b);
      }
    }
    assertThat(HalfFloats.floatToBfloat16(1f + 0x1p-8f)).as("tie to even").isEqualTo((short) 0x3f80);
  }
}
