/**
 * Checks of client input shared by every endpoint: printable names, RFC 3339 times, and how a
 * rejected value is quoted back in a problem's detail.
 */
package dev.tessera.gateway.input;
