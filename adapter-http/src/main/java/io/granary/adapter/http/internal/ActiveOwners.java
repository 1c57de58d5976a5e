package io.granary.adapter.http.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.granary.core.domain.ApiOwner;
import io.granary.core.port.in.AuthenticateOwnerUseCase;
import io.granary.core.port.out.ChangeFeed;
import java.time.Duration;
import java.util.UUID;

/**
 * Whether an owner may use the API, asked on every authenticated request: kept in memory instead of read from storage
 * each time (a point read was about a fifth of an uncached credential read's cost).
 *
 * <p>Disabling still bites at once: the {@link ChangeFeed} tells of every change of an owner's row, by this process or
 * another (the {@code owners} command, within the feed's bound), and each lookup first lets it catch up. Should a
 * change slip past it, a flag is kept for at most {@link #MAX_KEEP}: a disabled owner is refused within a second, as
 * issue 17 allows. A load racing a change cannot keep the old flag: Caffeine runs an invalidation of a key being
 * loaded after the load. Without a feed nothing is kept: storage is asked every time.
 */
final class ActiveOwners implements ChangeFeed.Listener {

    /** Longest a flag is trusted without storage saying anything. */
    static final Duration MAX_KEEP = Duration.ofSeconds(1);
    /** Owners are few; a flood of tokens of distinct owners would need that many valid owners. */
    private static final int MAX_OWNERS = 10_000;

    private final AuthenticateOwnerUseCase owners;
    private final ChangeFeed feed;
    private final Cache<UUID, Boolean> active = Caffeine.newBuilder()
            .maximumSize(MAX_OWNERS)
            .expireAfterWrite(MAX_KEEP)
            .build();

    /** @param feed null: nothing is kept */
    ActiveOwners(AuthenticateOwnerUseCase owners, ChangeFeed feed) {
        this.owners = owners;
        this.feed = feed;
        if (feed != null) {
            feed.listen(this);
        }
    }

    boolean isActive(UUID ownerId) {
        if (feed == null) {
            return read(ownerId);
        }
        feed.catchUp();
        return active.get(ownerId, this::read);
    }

    private boolean read(UUID ownerId) {
        return owners.activeOwner(ownerId).filter(o -> !o.disabled()).map(ApiOwner::id).isPresent();
    }

    @Override
    public void credentialChanged(UUID credentialId) {
        // Not an owner's flag.
    }

    @Override
    public void ownerChanged(UUID ownerId) {
        active.invalidate(ownerId);
    }

    @Override
    public void anythingMayHaveChanged() {
        active.invalidateAll();
    }
}
