/** Process-level helpers shared by the services' main classes. */
package dev.tessera.process;
