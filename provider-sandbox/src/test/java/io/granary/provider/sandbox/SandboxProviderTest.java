package io.granary.provider.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.spi.AuthorizationRequest;
import io.granary.spi.Environment;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class SandboxProviderTest {

    @Test
    void sandbox_asksTheHostToLoadItOnlyWhenGranarySandboxIsTrue() {
        // The host's gating on this setting is tested in core (ProviderRegistryTest).
        assertEquals("GRANARY_SANDBOX", new SandboxProvider().enablingSetting());
    }

    @Test
    void authorizationUrl_asksForFieldScopesWithPkce() {
        String url = new SandboxProvider().authorizationUrl(new AuthorizationRequest("http://localhost:8080/sandbox/authorize",
                Environment.PRODUCTION, "farmapp", "http://localhost:8080/services/widgets/callback", "s", "c".repeat(43), Map.of()));
        assertTrue(url.contains("scope=fields%3Aread+operations%3Aread"), url);
        assertTrue(url.contains("code_challenge_method=S256"), url);
    }
}
