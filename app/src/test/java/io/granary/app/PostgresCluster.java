package io.granary.app;

import io.granary.adapter.postgres.testing.TestPostgres;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Several real granary.jar processes on one PostgreSQL database, each with its own data directory and instance id,
 * and the keys every instance must share.
 */
final class PostgresCluster implements AutoCloseable {

    private final List<GranaryProcess> instances = new ArrayList<>();
    private final Map<String, String> shared;

    PostgresCluster(TestPostgres.Database database, Map<String, String> settings) {
        shared = new HashMap<>(settings);
        shared.putAll(settingsFor(database));
    }

    /** What every instance on this database is given: where it is, and the keys. */
    static Map<String, String> settingsFor(TestPostgres.Database database) {
        Map<String, String> env = new HashMap<>();
        env.put("GRANARY_DATABASE_URL", database.url());
        if (database.user() != null) {
            env.put("GRANARY_DATABASE_USER", database.user());
        }
        if (database.password() != null) {
            env.put("GRANARY_DATABASE_PASSWORD", database.password());
        }
        env.put("GRANARY_MASTER_KEY", key(1));
        env.put("GRANARY_JWT_SECRET", key(2));
        env.put("GRANARY_MAGIC_LINK_KEY", key(3));
        return env;
    }

    private static String key(int seed) {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (seed * 31 + i);
        }
        return Base64.getEncoder().encodeToString(key);
    }

    /** Starts an instance named {@code id} (its GRANARY_INSTANCE_ID), data directory under {@code dir}. */
    GranaryProcess start(Path dir, String id) throws Exception {
        Map<String, String> env = new HashMap<>(shared);
        env.put("GRANARY_INSTANCE_ID", id);
        GranaryProcess process = new GranaryProcess(dir.resolve(id), env).start();
        instances.add(process);
        return process;
    }

    @Override
    public void close() throws Exception {
        for (GranaryProcess instance : instances) {
            instance.kill();
        }
    }
}
