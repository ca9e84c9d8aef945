package io.orchestry.provisioner.runtime.database;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PostgreSQL settings sized to the memory a server may use (pure): shared_buffers a quarter of it,
 * effective_cache_size three quarters, work_mem and max_connections so that the connections' work memory stays within
 * the rest. Both drivers pass them as {@code -c name=value}.
 */
public final class ServerSettings {
    static final long MIB = 1024L * 1024;
    /** What a server gets when no memory was asked for. */
    public static final long DEFAULT_MEMORY = 512 * MIB;

    private ServerSettings() {
    }

    public static Map<String, String> forMemory(long memoryBytes) {
        long memory = memoryBytes > 0 ? memoryBytes : DEFAULT_MEMORY;
        long sharedBuffers = Math.max(16 * MIB, memory / 4);
        long connections = Math.max(20, Math.min(200, memory / (8 * MIB)));
        long workMem = Math.max(MIB, (memory - sharedBuffers) / (connections * 4));
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("shared_buffers", kib(sharedBuffers));
        settings.put("effective_cache_size", kib(Math.max(sharedBuffers, memory * 3 / 4)));
        settings.put("max_connections", Long.toString(connections));
        settings.put("work_mem", kib(workMem));
        settings.put("maintenance_work_mem", kib(Math.max(16 * MIB, memory / 16)));
        settings.put("password_encryption", "scram-sha-256");
        return settings;
    }

    private static String kib(long bytes) {
        return (bytes / 1024) + "kB";
    }
}
