package com.example.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.adapter.sqlite.SqliteStorage;
import io.granary.core.Granary;
import io.granary.core.crypto.AesGcmSealer;
import io.granary.core.domain.Credential;
import io.granary.core.domain.CredentialStatus;
import io.granary.core.port.in.AttachCredentialCommand;
import io.granary.core.port.in.UserDraft;
import io.granary.core.service.RefreshPolicy;
import io.granary.testkit.FakeTokenServer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FarmCredentialsTest {

    @TempDir
    Path dir;

    @Test
    void aCredentialIsRefreshedOnSchedule_andTheRotatedRefreshTokenIsInTheSqliteFile() throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Path database = dir.resolve("granary.db");
        // Access tokens live 3 s and are refreshed 1 s before they expire: every 2 s, with no read asking for it.
        RefreshPolicy policy = new RefreshPolicy(Duration.ofSeconds(1), Duration.ofHours(24), Duration.ofSeconds(1),
                Duration.ofSeconds(10), Duration.ofSeconds(10));
        try (FakeTokenServer trimble = new FakeTokenServer()) {
            trimble.expiresIn(Duration.ofSeconds(3));
            String firstToken = trimble.newGrant();
            Map<String, String> endpoints = Map.of(
                    "GRANARY_PROVIDER_TRIMBLE_PRODUCTION_TOKEN_URL", trimble.tokenUrl(),
                    "GRANARY_PROVIDER_TRIMBLE_PRODUCTION_API_URL", trimble.baseUrl());
            UUID owner;
            UUID user;
            String providerId;
            try (FarmCredentials credentials = new FarmCredentials(database, key, endpoints, policy)) {
                Granary granary = credentials.granary();
                owner = granary.owners().create("farm-app@example.com", "a long enough password").id();
                user = granary.users().create(owner, new UserDraft("Grower", null, null, null, null)).id();
                providerId = granary.credentials().provider("trimble-credentials").id();
                granary.credentials().attach(owner, user, "trimble-credentials", AttachCredentialCommand.fromJson(Map.of(
                        "clientId", FakeTokenServer.CLIENT_ID, "clientSecret", FakeTokenServer.CLIENT_SECRET, "refreshToken", firstToken)));

                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (trimble.rotations(firstToken) < 3 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertTrue(trimble.rotations(firstToken) >= 3, "validated on attach, then refreshed on schedule twice");
            }
            // Granary is closed: the file alone holds what the provider now expects.
            try (SqliteStorage reopened = SqliteStorage.open(database, AesGcmSealer.ofKeyRing(List.of(key)))) {
                Credential stored = reopened.credentials().find(owner, user, providerId).orElseThrow();
                assertEquals(CredentialStatus.VALID, stored.status());
                assertNotEquals(firstToken, stored.fields().get("refreshToken"));
                assertEquals(trimble.currentRefreshToken(firstToken), stored.fields().get("refreshToken"));
            }
        }
        assertThrows(ClassNotFoundException.class, () -> Class.forName("io.granary.adapter.http.HttpApi"),
                "no HTTP server of Granary is even on the class path");
    }
}
