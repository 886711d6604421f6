/**
 * Datasets: the IDX file format, Fashion-MNIST (padded to 32×32), a tiny safetensors reader/writer
 * and the tokenised dataset a transformer trainer streams from.
 *
 * <p>Pixel convention everywhere in Tessera: one image is a {@code float[1024]}, row-major 32×32,
 * values in [0, 1] (0 = black background, 1 = white).
 */
package dev.tessera.data;
