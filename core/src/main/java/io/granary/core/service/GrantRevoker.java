package io.granary.core.service;

import io.granary.core.domain.Credential;
import io.granary.spi.ProviderAdapter;
import io.granary.spi.ProviderHttp;
import io.granary.spi.ProviderUnreachableException;
import io.granary.spi.RevocationFailedException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Revokes at the provider the grant of a credential that was deleted or replaced, so the grower's account stops
 * listing a connection nobody uses. It runs after the delete is stored, on its own thread, so a slow provider does
 * not hold up the DELETE. Every outcome is logged, never a secret; a failure is not retried and never undoes the
 * delete: the grower can still remove the connection in the provider's account.
 */
public final class GrantRevoker implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(GrantRevoker.class.getName());

    /** How a revocation ended. */
    public enum Outcome {
        REVOKED,
        /** The provider offers no revocation (or the credential holds nothing to revoke). */
        NOT_OFFERED,
        FAILED
    }

    private final ProviderRegistry providers;
    private final ProviderHttp http;
    private final Clock clock;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "granary-grant-revoker");
        thread.setDaemon(true);
        return thread;
    });

    public GrantRevoker(ProviderRegistry providers, ProviderHttp http, Clock clock) {
        this.providers = providers;
        this.http = http;
        this.clock = clock;
    }

    /** Revokes the deleted credential's grant in the background; the future completes with the (logged) outcome. */
    public CompletableFuture<Outcome> afterDelete(Credential deleted) {
        try {
            return CompletableFuture.supplyAsync(() -> revoke(deleted), executor);
        } catch (RejectedExecutionException stopping) {
            LOG.log(Level.WARNING, "credential {0} ({1}) deleted; its grant was not revoked at the provider: Granary is stopping",
                    deleted.id(), deleted.providerId());
            return CompletableFuture.completedFuture(Outcome.FAILED);
        }
    }

    private Outcome revoke(Credential deleted) {
        Optional<ProviderAdapter> adapter = providers.byId(deleted.providerId());
        if (adapter.isEmpty()) {
            return Outcome.NOT_OFFERED;
        }
        ClientContext context = new ClientContext(providers, adapter.get().descriptor(), deleted.environment(),
                deleted.fields(), http, clock.instant());
        try {
            if (!adapter.get().revoke(context)) {
                LOG.log(Level.DEBUG, "credential {0} ({1}) deleted; the provider offers no revocation", deleted.id(), deleted.providerId());
                return Outcome.NOT_OFFERED;
            }
            LOG.log(Level.INFO, "credential {0} ({1}) deleted; its grant was revoked at the provider", deleted.id(), deleted.providerId());
            return Outcome.REVOKED;
        } catch (RevocationFailedException | ProviderUnreachableException e) {
            LOG.log(Level.WARNING, "credential {0} ({1}) deleted, but revoking its grant at the provider failed: {2};"
                    + " the grower can remove the connection in their {1} account", deleted.id(), deleted.providerId(), e.getMessage());
        } catch (RuntimeException e) {
            // A provider bug: its message may hold secrets, so the type only.
            LOG.log(Level.WARNING, "credential {0} ({1}) deleted, but revoking its grant at the provider failed with {2}",
                    deleted.id(), deleted.providerId(), e.getClass().getName());
        }
        return Outcome.FAILED;
    }

    /** Lets revocations already queued finish for a few seconds; any left are logged by credential, not dropped silently. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Runnable> left = executor.shutdownNow();
        if (!left.isEmpty()) {
            LOG.log(Level.WARNING, "{0} deleted credentials'' grants were not revoked at their providers: Granary stopped first", left.size());
        }
    }
}
