/**
 * The VQ image tokenizer: a k-means codebook over non-overlapping 2×2 pixel patches, turning a 32×32
 * grey image into a 16×16 grid of 256 tokens in raster (row-major) order, and back. The codebook rows
 * are the latent space in which LANTERN's neighbourhoods are measured ({@link
 * dev.tessera.tokenizer.VqTokenizer#nearestNeighbours}).
 */
package dev.tessera.tokenizer;
