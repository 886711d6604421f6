/**
 * A miniature of Tessera's package layout with planted violations of each architecture rule, for
 * {@code TesseraRulesTest}. The classes are never run, only read by ArchUnit.
 */
package dev.tessera.archfixture;
