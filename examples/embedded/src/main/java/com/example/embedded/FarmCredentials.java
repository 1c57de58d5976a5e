package com.example.embedded;

import io.granary.adapter.sqlite.SqliteStorage;
import io.granary.core.Granary;
import io.granary.core.crypto.AesGcmSealer;
import io.granary.core.port.out.Storage;
import io.granary.core.service.RefreshPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Granary inside this app: growers' provider credentials kept fresh in a SQLite file, no HTTP server. */
public final class FarmCredentials implements AutoCloseable {

    private final Storage storage;
    private final Granary granary;

    /**
     * @param masterKey         32 secret bytes; every token is sealed with it (AES-GCM) in the file
     * @param providerEndpoints overrides of provider URLs by setting name; empty for the providers' own
     */
    public FarmCredentials(Path databaseFile, byte[] masterKey, Map<String, String> providerEndpoints, RefreshPolicy policy) {
        storage = SqliteStorage.open(databaseFile, AesGcmSealer.ofKeyRing(List.of(masterKey)));
        granary = Granary.builder()
                .storage(storage)
                .endpointSettings(providerEndpoints::get)
                .refreshPolicy(policy)
                .scheduler(4, Duration.ofSeconds(1))
                .build()
                .start();
    }

    public Granary granary() {
        return granary;
    }

    @Override
    public void close() {
        granary.close();
        storage.close();
    }
}
