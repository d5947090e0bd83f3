/**
 * For application developers: the orchestrator in a Spring Boot application, configured from YAML by
 * {@code orchestrator-spring-boot-starter} ({@code docs/spring-boot.md}).
 */
@NullMarked
package dev.orchestrator.examples.spring;

import org.jspecify.annotations.NullMarked;
