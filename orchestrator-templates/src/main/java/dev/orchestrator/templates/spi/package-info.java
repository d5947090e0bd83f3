/**
 * For template pack authors: {@link dev.orchestrator.templates.spi.TemplateSource}, discovered through
 * {@link java.util.ServiceLoader}, supplies template documents from a jar or anywhere else.
 * {@link dev.orchestrator.templates.spi.ClasspathTemplateSource} serves a folder of JSON files listed in an index
 * file, which is all a pack needs. This SPI evolves only by adding default methods.
 */
@NullMarked
package dev.orchestrator.templates.spi;

import org.jspecify.annotations.NullMarked;
