package io.granary.adapter.http.internal;

import io.granary.core.domain.Credential;
import io.granary.spi.ProviderDescriptor;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * The HTTP adapter's share of one credential read, opened to benchmarks in other packages: the adapter's classes
 * are package-private, and this bridge lives in their package only on the benchmarks' class path.
 */
public final class HttpReadPath {

    private final Tokens tokens;
    private final CredentialJson view = new CredentialJson(false); // the default: secrets masked
    private final Json json = new Json();

    public HttpReadPath(byte[] jwtSecret) {
        tokens = new Tokens(jwtSecret, Clock.systemUTC());
    }

    public String issue(UUID ownerId) {
        return tokens.issue(ownerId, false);
    }

    public Optional<UUID> verify(String token) {
        return tokens.verify(token);
    }

    /** What CredentialEndpoints.answer sends: the Leaf-shaped view, serialized. */
    public byte[] answer(ProviderDescriptor provider, Credential credential) {
        return json.write(view.credential(provider, credential));
    }
}
