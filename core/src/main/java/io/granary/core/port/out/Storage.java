package io.granary.core.port.out;

import io.granary.core.crypto.Resealing;
import io.granary.core.crypto.SecretSealer;
import java.util.Optional;
import java.util.function.LongSupplier;

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

    /** A cheap round trip to the database; false instead of an exception, for health checks. */
    boolean isHealthy();

    /** The sealer every secret is sealed with on write and opened with on read. */
    SecretSealer sealer();

    /** Every sealed value stored, for key checks and rotation. */
    SecretWalk secrets();

    /**
     * A stamp that differs from every earlier one once anything was committed, by this process or another; cheap
     * and never blocking, so it may be asked on every request. Lets callers cache what they read (the HTTP answer
     * cache). Empty if the storage cannot tell: then nothing is cached.
     */
    default Optional<LongSupplier> changeStamps() {
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
