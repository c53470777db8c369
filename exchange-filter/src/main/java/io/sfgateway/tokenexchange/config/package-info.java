/**
 * Spring Boot wiring: the auto-configurations, the bound properties and the start-up checks that
 * stop a bad configuration naming its key. The only package that knows every other one.
 */
package io.sfgateway.tokenexchange.config;
