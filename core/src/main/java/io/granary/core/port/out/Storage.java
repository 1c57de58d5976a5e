package io.granary.core.port.out;

import io.granary.core.crypto.Resealing;
import io.granary.core.crypto.SecretSealer;
import java.util.Optional;

/**
 * Everything Granary stores, behind one port: the stores, a health check, the walk over sealed values that key
 * rotation needs, and optionally a cheap "something changed" stamp. A storage adapter (SQLite, PostgreSQL)
 * implements it and seals every secret with {@link #sealer()} under the contexts of
 * {@link io.granary.core.crypto.SealingContext}; the contract tests in core's test-jar say what else it must do.
 * Close it after the work that uses it has stopped.
 */
public interface Storage extends AutoCloseable {

    ApiOwnerStore owners();

    LeafUserStore users();

    CredentialStore credentials();

    CredentialEventStore events();

    WebhookStore webhooks();

    /** Alerts waiting for delivery; written together with credential status changes by {@link #credentials()}. */
    AlertOutbox alertOutbox();

    /** API owners' provider apps (Leaf's app keys), sealed at rest. */
    AppKeyStore appKeys();

    MagicLinkStore magicLinks();

    /** The organizations each credential's grant saw at its latest refresh (Leaf's organization routes). */
    ProviderOrganizationStore providerOrganizations();

    /** Leaf's configuration service: the values owners and users set. */
    ConfigurationStore configurations();

    /** A cheap round trip to the database; false instead of an exception, for health checks. */
    boolean isHealthy();

    /** The sealer every secret is sealed with on write and opened with on read. */
    SecretSealer sealer();

    /** Every sealed value stored, for key checks and rotation. */
    SecretWalk secrets();

    /**
     * Which credentials and owners changed, committed by this process or another, so callers can keep what they
     * read (the HTTP answer cache, owners' active flags) and drop only what changed. Empty if the storage cannot
     * tell: then nothing read is kept.
     */
    default Optional<ChangeFeed> changes() {
        return Optional.empty();
    }

    /** True if any sealed value is stored: start-up then refuses to run without a key. */
    default boolean holdsSecrets() {
        return secrets().holdsSecrets();
    }

    /**
     * Opens a stored sealed value of each kind (the oldest and the newest) with {@link #sealer()}.
     *
     * @throws io.granary.core.crypto.SealException with a message fit for an operator if the key is wrong or missing
     */
    default void verifySealer() {
        Resealing.verify(secrets(), sealer());
    }

    /**
     * Key rotation: re-encrypts every stored value that {@code newSealer.needsResealing}, opening it with
     * {@link #sealer()} (which must still hold the old key) and sealing it with {@code newSealer}. This storage
     * keeps its own sealer: {@code rotate-key} opens the storage with a sealer holding both keys, calls this, and
     * closes it. Processes still running on the old key alone cannot read resealed values. Idempotent.
     *
     * @return how many values were re-encrypted
     */
    default int resealAll(SecretSealer newSealer) {
        return Resealing.resealAll(secrets(), sealer(), newSealer);
    }

    @Override
    void close();
}
