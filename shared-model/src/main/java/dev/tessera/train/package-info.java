/** Training on DJL's training API: the GPT (raster or PAR order) and the EAGLE drafter, AdamW with exact checkpoint/resume. */
package dev.tessera.train;
