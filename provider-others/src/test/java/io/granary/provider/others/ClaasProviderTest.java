package io.granary.provider.others;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.spi.Environment;
import io.granary.spi.MalformedAnswerException;
import io.granary.spi.OAuth2Provider;
import io.granary.spi.UnverifiedDefaultsWarning;
import io.granary.testkit.OAuth2ProviderContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class ClaasProviderTest extends OAuth2ProviderContract {

    @Override
    protected OAuth2Provider provider() {
        return new ClaasProvider();
    }

    @Override
    protected Map<String, String> inputFields() {
        return Map.of("clientKey", "claas-client-key", "clientSecret", "claas-client-secret-55e1");
    }

    @Override
    protected String expectedClientIdField() {
        return "clientKey";
    }

    @Override
    protected ExpectedClientAuth expectedClientAuth() {
        return ExpectedClientAuth.BASIC_HEADER;
    }

    @Override
    protected Optional<AccessCheck> accessCheck() {
        return Optional.empty();
    }

    @Test
    void descriptor_defaultsToStage() {
        assertEquals(Environment.STAGE, provider().descriptor().defaultEnvironment());
    }

    @Test
    void descriptor_marksDefaultsUnverified() {
        assertFalse(provider().descriptor().defaultsVerified());
    }

    /**
     * A wrong guessed token URL typically answers 404 with an HTML page. The first such answer logs, once, that the
     * defaults may be wrong and which settings override them; recognised answers (an OAuth error) do not.
     */
    @Test
    void unrecognisedAnswer_logsOnceThatDefaultsMayBeWrong() {
        List<String> logged = new ArrayList<>();
        OAuth2Provider claas = new ClaasProvider(new UnverifiedDefaultsWarning(logged::add));
        server().enqueue(jsonAnswer(400, "{\"error\":\"invalid_grant\"}"));
        claas.refresh(newContext());
        assertEquals(List.of(), logged, "a recognised OAuth error must not warn");

        server().enqueue(new MockResponse.Builder().code(404).body("<html>Not Found</html>").build());
        server().enqueue(new MockResponse.Builder().code(404).body("<html>Not Found</html>").build());
        claas.refresh(newContext());
        claas.refresh(newContext());

        assertEquals(1, logged.size(), logged.toString());
        assertTrue(logged.get(0).contains("may be wrong"), logged.get(0));
        assertTrue(logged.get(0).contains("GRANARY_PROVIDER_CLAAS_STAGE_TOKEN_URL"), logged.get(0));
        assertFalse(logged.get(0).contains(OLD_REFRESH_TOKEN));
    }

    @Test
    void unreadableSuccessAnswer_alsoWarns() {
        List<String> logged = new ArrayList<>();
        OAuth2Provider claas = new ClaasProvider(new UnverifiedDefaultsWarning(logged::add));
        server().enqueue(new MockResponse.Builder().code(200).body("<html>login page</html>").build());

        assertThrows(MalformedAnswerException.class, () -> claas.refresh(newContext()));

        assertEquals(1, logged.size(), logged.toString());
    }
}
