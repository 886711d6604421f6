/**
 * What the web console (static files under {@code classpath:/static}, served at {@code /}) needs
 * beyond the public API: the admin's list of tenants.
 */
package dev.tessera.gateway.console;
