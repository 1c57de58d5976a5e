package io.granary.core.service;

import io.granary.core.domain.Alert;
import io.granary.core.domain.Credential;
import io.granary.core.domain.CredentialEvent;
import io.granary.core.domain.CredentialStatus;
import io.granary.core.port.out.CredentialEventStore;
import io.granary.core.port.out.CredentialStore;
import io.granary.core.port.out.ProviderOrganizationStore;
import io.granary.core.port.out.StaleWriteException;
import io.granary.core.port.out.StorageUnavailableException;
import io.granary.spi.CredentialField;
import io.granary.spi.EndpointKind;
import io.granary.spi.Environment;
import io.granary.spi.LostClaimException;
import io.granary.spi.MalformedAnswerException;
import io.granary.spi.ProviderAdapter;
import io.granary.spi.ProviderHttp;
import io.granary.spi.ProviderUnreachableException;
import io.granary.spi.ProviderOrganization;
import io.granary.spi.RefreshContext;
import io.granary.spi.RefreshResult;
import io.granary.spi.TokenUpdate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Refreshes one credential at a time, never twice at once: threads of this process share one in-flight
 * refresh per credential, and processes sharing the database exclude each other with a lease claimed there.
 * Renewed secrets are written the moment the provider hands them out, with {@code WHERE version = ?}; if the
 * database refuses them (locked, disk full), the write is retried while the lease lasts, because a provider that
 * rotates refresh tokens may already have retired the old one: the new one then exists only in memory.
 * The events of provider calls are stored in the transaction of the credential write that follows them (the saved
 * tokens, or the outcome): three write transactions per refresh rather than one more per call, which matters
 * because every refresh in a storm queues on SQLite's single writer.
 */
public final class CredentialRefresher {

    private static final System.Logger LOG = System.getLogger(CredentialRefresher.class.getName());
    private static final Duration SAVE_RETRY_PAUSE = Duration.ofSeconds(1);
    /** How often a refresh refused with secrets someone else has since replaced is retried with the stored ones. */
    private static final int LOOKS_AGAIN = 2;
    /** How often new secrets whose write lost to another writer are offered again on the row as re-read. */
    private static final int RESCUES = 3;

    /** Why a refresh runs; each decides, on the freshly claimed row, whether it is still needed. */
    public enum Reason {
        /** The scheduler found it due. */
        DUE,
        /** A reader wants a token that will not expire within the margin. */
        READ,
        /** Asked for explicitly. */
        FORCED
    }

    private final ProviderRegistry providers;
    private final CredentialStore credentials;
    private final CredentialEventStore events;
    private final ProviderHttp http;
    private final RefreshPolicy policy;
    private final Clock clock;
    private final String claimant;
    private final RefreshListener listener;
    private final ProviderOrganizationStore organizations;
    private final ConcurrentHashMap<UUID, CompletableFuture<Optional<Credential>>> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong providerCalls = new AtomicLong();

    /** Organizations providers report are not kept: for uses that serve no organization routes. */
    public CredentialRefresher(ProviderRegistry providers, CredentialStore credentials, CredentialEventStore events,
                               ProviderHttp http, RefreshPolicy policy, Clock clock, String claimant,
                               RefreshListener listener) {
        this(providers, credentials, events, http, policy, clock, claimant, listener, null);
    }

    /** @param organizations keeps the organizations a provider reports during a refresh, for the organization routes */
    public CredentialRefresher(ProviderRegistry providers, CredentialStore credentials, CredentialEventStore events,
                               ProviderHttp http, RefreshPolicy policy, Clock clock, String claimant,
                               RefreshListener listener, ProviderOrganizationStore organizations) {
        this.organizations = organizations;
        this.providers = providers;
        this.credentials = credentials;
        this.events = events;
        this.http = http;
        this.policy = policy;
        this.clock = clock;
        this.claimant = claimant;
        this.listener = listener;
    }

    public RefreshPolicy policy() {
        return policy;
    }

    public boolean isInFlight(UUID credentialId) {
        return inFlight.containsKey(credentialId);
    }

    /** Refreshes made so far by this process (each is one provider round, whatever its outcome). */
    public long refreshesStarted() {
        return providerCalls.get();
    }

    /**
     * Refreshes the credential if, once claimed, it still needs it for this reason. Joins a refresh of the
     * same credential already running in this process.
     *
     * @return the credential as stored afterwards, or empty if it no longer exists
     */
    public Optional<Credential> refresh(UUID credentialId, Reason reason) {
        CompletableFuture<Optional<Credential>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<Credential>> running = inFlight.putIfAbsent(credentialId, mine);
        if (running != null) {
            return running.join();
        }
        try {
            Optional<Credential> result = claimAndRefresh(credentialId, reason);
            mine.complete(result);
            return result;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(credentialId, mine);
        }
    }

    private Optional<Credential> claimAndRefresh(UUID id, Reason reason) {
        Instant now = clock.instant();
        Instant leaseUntil = now.plus(policy.lease());
        Optional<Credential> claimed = credentials.claim(id, claimant, now, leaseUntil);
        if (claimed.isEmpty()) {
            // Gone, or another process holds the lease: it will write the result; report what is stored.
            return credentials.findById(id);
        }
        Credential credential = claimed.get();
        if (!needed(reason, now).test(credential)) {
            credentials.finishRefresh(id, credential.version(), credential.status(), credential.statusMessage(),
                    credential.nextRefreshAt(), credential.failureCount(), now);
            return credentials.findById(id);
        }
        Optional<ProviderAdapter> adapter = providers.byId(credential.providerId());
        if (adapter.isEmpty()) {
            // Its provider jar was removed: leave the credential alone rather than calling it invalid.
            credentials.finishRefresh(id, credential.version(), CredentialStatus.TEMPORARILY_UNAVAILABLE,
                    "provider " + credential.providerId() + " is not installed", null, credential.failureCount(), now);
            return credentials.findById(id);
        }
        return Optional.of(run(adapter.get(), credential, leaseUntil));
    }

    /**
     * Whether a reader should wait for a refresh: the token expires within the margin, and the credential is
     * neither refused (INVALID) nor backing off after a temporary failure — a reader must not defeat the backoff
     * by calling a struggling provider on every read.
     */
    public boolean readNeedsRefresh(Credential credential, Instant now) {
        if (credential.status() == CredentialStatus.INVALID) {
            return false;
        }
        boolean backingOff = credential.status() == CredentialStatus.TEMPORARILY_UNAVAILABLE
                && credential.nextRefreshAt() != null && credential.nextRefreshAt().isAfter(now);
        return !backingOff && policy.expiresSoon(now, credential.accessExpiresAt());
    }

    /**
     * The first instant at which {@link #readNeedsRefresh} holds for this credential as stored, or null if it never
     * will until something stored changes (INVALID, or no known expiry).
     */
    public Instant readRefreshFrom(Credential credential) {
        if (credential.status() == CredentialStatus.INVALID || credential.accessExpiresAt() == null) {
            return null;
        }
        Instant expiresSoon = policy.expiresSoonFrom(credential.accessExpiresAt());
        Instant backoffEnds = credential.status() == CredentialStatus.TEMPORARILY_UNAVAILABLE ? credential.nextRefreshAt() : null;
        return backoffEnds != null && backoffEnds.isAfter(expiresSoon) ? backoffEnds : expiresSoon;
    }

    private Predicate<Credential> needed(Reason reason, Instant now) {
        return switch (reason) {
            case FORCED -> c -> true;
            case DUE -> c -> c.nextRefreshAt() != null && !c.nextRefreshAt().isAfter(now);
            case READ -> c -> readNeedsRefresh(c, now);
        };
    }

    private Credential run(ProviderAdapter adapter, Credential claimed, Instant leaseUntil) {
        providerCalls.incrementAndGet();
        long started = System.nanoTime();
        Context context = new Context(adapter, claimed, leaseUntil);
        RefreshResult result;
        try {
            result = attempt(adapter, context);
            // Before INVALID, look again: a refresh token another refresh (thread, process, instance) rotated while
            // this one was under way is a lost race, not a revoked grant (nango#1005). Bounded: a grant that really
            // is revoked keeps answering INVALID, and a stored token that keeps changing is not chased forever.
            for (int look = 0; look < LOOKS_AGAIN && result instanceof RefreshResult.Invalid && context.adoptNewerSecrets(); look++) {
                LOG.log(System.Logger.Level.INFO, "credential {0} ({1}): refused secrets had already been replaced by"
                        + " another refresh; retrying with the stored ones", claimed.id(), claimed.providerId());
                result = attempt(adapter, context);
            }
        } catch (LostClaimException e) {
            context.storeUnsavedEvents();
            return credentials.findById(claimed.id()).orElse(claimed);
        } catch (StorageUnavailableException e) {
            // Not the provider's fault: the lease stays, and the credential is retried once it runs out.
            context.storeUnsavedEvents();
            throw e;
        }
        Credential after = finish(context, result);
        listener.refreshFinished(claimed.providerId(), after.status(), Duration.ofNanos(System.nanoTime() - started));
        return after;
    }

    /** One call of the provider; its failures other than a lost claim or storage trouble become a result. */
    private RefreshResult attempt(ProviderAdapter adapter, Context context) {
        try {
            return adapter.refresh(context);
        } catch (LostClaimException | StorageUnavailableException e) {
            throw e;
        } catch (ProviderUnreachableException | MalformedAnswerException e) {
            return new RefreshResult.Unavailable(e.getMessage());
        } catch (RuntimeException e) {
            // A provider bug must not mark a grower's credential INVALID; its message may hold secrets, so log the type only.
            LOG.log(System.Logger.Level.WARNING, "provider {0} failed with {1} while refreshing credential {2}",
                    context.claimed.providerId(), e.getClass().getName(), context.claimed.id());
            return new RefreshResult.Unavailable("provider integration failed (" + e.getClass().getSimpleName() + ")");
        }
    }

    private Credential finish(Context context, RefreshResult result) {
        Credential before = context.claimed;
        Instant now = clock.instant();
        CredentialStatus status;
        Instant next;
        int failures = 0;
        if (result instanceof RefreshResult.Invalid) {
            status = CredentialStatus.INVALID;
            next = null;
        } else if (result instanceof RefreshResult.Unavailable unavailable) {
            status = CredentialStatus.TEMPORARILY_UNAVAILABLE;
            failures = before.failureCount() + 1;
            next = policy.nextRetry(now, failures, unavailable.retryAfter());
        } else {
            status = result instanceof RefreshResult.MissingPermission ? CredentialStatus.MISSING_PERMISSION : CredentialStatus.VALID;
            next = policy.nextRefresh(now, context.expiresAt);
        }
        try {
            // The alert is decided against the claimed row (the lease guarantees it is current) and stored with the change.
            Alert alert = Alerts.forChange(before, status, result.message(), now).orElse(null);
            List<CredentialEvent> calls = context.unsavedEvents();
            credentials.finishRefresh(before.id(), context.version, status, result.message(), next, failures, now, alert, calls);
            context.saved(calls);
        } catch (StaleWriteException e) {
            context.storeUnsavedEvents();
            return credentials.findById(before.id()).orElse(before);
        }
        Credential after = credentials.findById(before.id()).orElse(before);
        if (after.status() != before.status()) {
            listener.statusChanged(after, before.status());
        }
        return after;
    }

    /** What a provider sees of one claimed credential. */
    private final class Context implements RefreshContext {
        private final ProviderAdapter adapter;
        private final Credential claimed;
        private final Instant leaseUntil;
        private final Map<String, String> fields;
        private final RecordingProviderHttp recordingHttp;
        /** Provider calls made and not yet stored, oldest first. */
        private final List<CredentialEvent> unsaved = new ArrayList<>();
        private volatile SecretRedactor redactor;
        private long version;
        private Instant expiresAt;
        private int rescues;

        Context(ProviderAdapter adapter, Credential claimed, Instant leaseUntil) {
            this.adapter = adapter;
            this.claimed = claimed;
            this.leaseUntil = leaseUntil;
            this.fields = new HashMap<>(claimed.fields());
            this.version = claimed.version();
            this.expiresAt = claimed.accessExpiresAt();
            this.redactor = SecretRedactor.knowing(secretValues(fields));
            this.recordingHttp = new RecordingProviderHttp(http, claimed.id(), this::called, () -> redactor, clock);
        }

        private synchronized void called(CredentialEvent event) {
            unsaved.add(event);
        }

        synchronized List<CredentialEvent> unsavedEvents() {
            return List.copyOf(unsaved);
        }

        /** The given events, taken by {@link #unsavedEvents()}, are now stored. */
        synchronized void saved(List<CredentialEvent> stored) {
            unsaved.subList(0, stored.size()).clear();
        }

        /**
         * Stores the events no credential write took along (the claim was lost, or storage refused the write) on their
         * own; a failure here is logged rather than thrown, so that it cannot mask the outcome being handled.
         */
        void storeUnsavedEvents() {
            for (CredentialEvent event : unsavedEvents()) {
                try {
                    events.append(event);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "credential {0}: provider call to {1} not recorded ({2})",
                            claimed.id(), event.url(), e instanceof StorageUnavailableException ? e.getMessage() : e.getClass().getSimpleName());
                }
                saved(List.of(event));
            }
        }

        private List<String> secretValues(Map<String, String> values) {
            return adapter.descriptor().fields().stream()
                    .filter(CredentialField::secret)
                    .map(f -> values.get(f.name()))
                    .filter(v -> v != null)
                    .toList();
        }

        @Override
        public Environment environment() {
            return claimed.environment();
        }

        @Override
        public Optional<String> field(String name) {
            return Optional.ofNullable(fields.get(name)).filter(v -> !v.isBlank());
        }

        @Override
        public String endpoint(EndpointKind kind) {
            return providers.endpoint(adapter.descriptor(), kind, claimed.environment())
                    .orElseThrow(() -> new IllegalStateException(adapter.descriptor().id() + " declares no " + kind + " for " + claimed.environment()));
        }

        @Override
        public ProviderHttp http() {
            return recordingHttp;
        }

        @Override
        public Instant now() {
            return clock.instant();
        }

        @Override
        public void saveTokens(TokenUpdate update) {
            // Known before the write, so an event recorded right after cannot leak the new values.
            redactor = redactor.alsoKnowing(update.fields().values());
            for (int attempt = 1; ; attempt++) {
                try {
                    List<CredentialEvent> calls = unsavedEvents();
                    version = credentials.saveTokens(claimed.id(), version, update.fields(), update.expiresAt(),
                            update.scopes(), clock.instant(), calls);
                    saved(calls);
                    break;
                } catch (StaleWriteException e) {
                    // The lease ran out and another refresh claimed the row. If it has not replaced the secrets this
                    // refresh presented, the ones in hand are the only live ones (the provider retired the old):
                    // store them on the row as it is now rather than lose the grant. Else the other's stand.
                    OptionalLong current = rescues++ < RESCUES ? versionHoldingSameSecrets() : OptionalLong.empty();
                    if (current.isEmpty()) {
                        throw new LostClaimException("another refresh of credential " + claimed.id() + " took over");
                    }
                    version = current.getAsLong();
                } catch (StorageUnavailableException e) {
                    // Past the lease another refresh may claim the credential; the version check then refuses this one.
                    if (!clock.instant().plus(SAVE_RETRY_PAUSE).isBefore(leaseUntil) || !pause()) {
                        LOG.log(System.Logger.Level.ERROR, "credential {0} ({1}): new tokens could not be stored after {2}"
                                + " attempts ({3}); if {1} retired the old refresh token, the grower must authorize again",
                                claimed.id(), claimed.providerId(), attempt, e.getMessage());
                        throw e;
                    }
                    if (attempt == 1) {
                        LOG.log(System.Logger.Level.WARNING, "credential {0}: storing its new tokens failed ({1});"
                                + " retrying until its lease ends at {2}", claimed.id(), e.getMessage(), leaseUntil);
                    }
                }
            }
            fields.putAll(update.fields());
            expiresAt = update.expiresAt();
        }

        /**
         * Re-reads the row; if its secrets differ from the ones this refresh holds, another writer replaced them
         * meanwhile: take them (and the row's version) for another attempt.
         *
         * @return whether there are newer secrets to try
         */
        boolean adoptNewerSecrets() {
            Optional<Credential> stored = credentials.findById(claimed.id());
            if (stored.isEmpty() || sameSecrets(stored.get().fields())) {
                return false;
            }
            Credential now = stored.get();
            redactor = redactor.alsoKnowing(secretValues(now.fields()));
            fields.clear();
            fields.putAll(now.fields());
            version = now.version();
            expiresAt = now.accessExpiresAt();
            return true;
        }

        /** The stored row's version if it still holds the secrets this refresh presented. */
        private OptionalLong versionHoldingSameSecrets() {
            return credentials.findById(claimed.id())
                    .filter(stored -> sameSecrets(stored.fields()))
                    .map(stored -> OptionalLong.of(stored.version()))
                    .orElse(OptionalLong.empty());
        }

        private boolean sameSecrets(Map<String, String> stored) {
            return adapter.descriptor().fields().stream()
                    .filter(CredentialField::secret)
                    .allMatch(f -> Objects.equals(stored.get(f.name()), fields.get(f.name())));
        }

        /**
         * Stored at once, in its own transaction: it is what the grant saw whatever this refresh's outcome. A failure
         * to store it is logged and does not fail the refresh: the next refresh stores the list again.
         */
        @Override
        public void organizationsSeen(List<ProviderOrganization> seen) {
            if (organizations == null) {
                return;
            }
            try {
                organizations.saveSeen(claimed.id(), List.copyOf(seen), clock.instant());
            } catch (StorageUnavailableException e) {
                LOG.log(System.Logger.Level.WARNING, "credential {0}: organizations seen not stored ({1})",
                        claimed.id(), e.getMessage());
            }
        }

        /** @return false if interrupted (shutting down): give up now */
        private boolean pause() {
            try {
                Thread.sleep(SAVE_RETRY_PAUSE.toMillis());
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
