package io.granary.app;

import io.granary.testkit.FakeTokenServer;
import java.util.HashMap;
import java.util.Map;

/**
 * Points the real Trimble provider of the jar at a {@link FakeTokenServer}: Trimble refreshes with Basic client
 * auth and checks the new access token at {@code {API_URL}/oauth/userinfo}, both of which the fake serves.
 */
final class FakeProviderSetup {

    static final String SUFFIX = "trimble-credentials";

    private FakeProviderSetup() {
    }

    static Map<String, String> settings(FakeTokenServer fake) {
        Map<String, String> env = endpoints(fake);
        // Tests and benchmarks read refresh tokens back to compare them with what the provider accepts.
        env.put("GRANARY_REVEAL_SECRETS", "true");
        return env;
    }

    /** Only the provider URLs: every other setting at its default (secrets masked in answers). */
    static Map<String, String> endpoints(FakeTokenServer fake) {
        Map<String, String> env = new HashMap<>();
        env.put("GRANARY_PROVIDER_TRIMBLE_PRODUCTION_TOKEN_URL", fake.tokenUrl());
        env.put("GRANARY_PROVIDER_TRIMBLE_PRODUCTION_API_URL", fake.baseUrl());
        return env;
    }

    static String credentialBody(String refreshToken) {
        return "{\"clientId\":\"" + FakeTokenServer.CLIENT_ID + "\",\"clientSecret\":\"" + FakeTokenServer.CLIENT_SECRET
                + "\",\"refreshToken\":\"" + refreshToken + "\"}";
    }

    static String credentialPath(String userId) {
        return "/services/usermanagement/api/users/" + userId + "/" + SUFFIX;
    }
}
