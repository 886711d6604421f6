/** Loading served models from their directories and making decoders for them: the surface the worker decodes through. */
package dev.tessera.serving;
