/**
 * For application developers: durable {@link dev.orchestrator.spi.store.Store}s over JDBC. Use
 * {@link dev.orchestrator.store.jdbc.JdbcStore#embedded(java.nio.file.Path)} for one machine (an H2 file database that
 * several processes may share), {@link dev.orchestrator.store.jdbc.JdbcStore#postgres(String, String, String)} for
 * many workers on many machines, or {@link dev.orchestrator.store.jdbc.JdbcStore#of(javax.sql.DataSource)} to bring
 * your own pool. The schema is created and migrated at start.
 */
@NullMarked
package dev.orchestrator.store.jdbc;

import org.jspecify.annotations.NullMarked;
