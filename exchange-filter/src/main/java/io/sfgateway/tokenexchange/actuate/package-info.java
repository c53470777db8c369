/**
 * The optional {@code salesforcesessions} actuator endpoint, which evicts one user's sessions;
 * registered only when Spring Boot Actuator is on the class path.
 */
package io.sfgateway.tokenexchange.actuate;
