package dev.tessera.tokenizer;

/** Turns a raster-order token grid into a PNG: a model family's way back to pixels. */
public interface ImageDecoder {

  /** Pixels per token along each side (2 for Tessera's 2×2 patches, 16 for VQ-16). */
  int pixelsPerToken();

  /** Colour channels of the PNG (1 grey, 3 RGB). */
  int channels();

  /** The PNG of one square token grid. */
  byte[] toPng(int[] tokens);
}
