/**
 * Datasets: the IDX file format, Fashion-MNIST (padded to 32×32) and a tiny safetensors
 * reader/writer. The tokenised dataset the trainers stream from is {@code dev.tessera.train}'s, in
 * gpu-worker.
 *
 * <p>Pixel convention everywhere in Tessera: one image is a {@code float[1024]}, row-major 32×32,
 * values in [0, 1] (0 = black background, 1 = white).
 */
package dev.tessera.data;
