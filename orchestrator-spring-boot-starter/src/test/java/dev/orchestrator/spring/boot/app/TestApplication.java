package dev.orchestrator.spring.boot.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A plain Spring Boot application: everything the orchestrator needs comes from the starter and the YAML. */
@SpringBootApplication
public class TestApplication {}
