/**
 * For application developers: the orchestrator in a Spring Boot application, configured from {@code application.yml}
 * ({@link dev.orchestrator.spring.boot.OrchestratorProperties}, under {@code orchestrator.*}), with its store on the
 * application's {@code DataSource}, the dashboard on its own port, and an actuator health indicator and endpoint.
 * Add the starter; {@code docs/spring-boot.md} lists every property.
 */
@NullMarked
package dev.orchestrator.spring.boot;

import org.jspecify.annotations.NullMarked;
