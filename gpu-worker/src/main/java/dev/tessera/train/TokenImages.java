package dev.tessera.train;

/** Tokenised images with labels: what the trainer reads. */
public interface TokenImages {

  /** Number of images. */
  int size();

  /** Tokens of image i in raster order. */
  int[] tokens(int i);

  /** Class label of image i. */
  int label(int i);
}
