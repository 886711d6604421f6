/**
 * Grey images as float arrays in [0, 1]: a deterministic 8-bit greyscale PNG encoder and sample grids.
 * No AWT, so it runs headless and gives the same bytes on every machine.
 */
package dev.tessera.image;
