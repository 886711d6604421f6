/**
 * Evaluation of generated images: the {@code fm-classifier} CNN (class accuracy and penultimate-layer
 * features), Fréchet distance between feature distributions, and the {@link dev.tessera.eval.Evaluator}
 * that combines them with a class-by-class sample grid. The linear algebra is plain Java (no engine).
 */
package dev.tessera.eval;
