/**
 * RFC 9457 problem details: the exception types, their machine-readable types, and the one advice
 * that maps them to HTTP.
 */
package dev.tessera.gateway.problem;
