package io.granary.adapter.http.internal;

import io.granary.core.port.out.ChangeFeed;

/**
 * What storage tells of changes, and the size of the credential answer cache ({@link AnswerCache}; 0: off, the
 * owners' active flags ({@link ActiveOwners}) still follow the feed). Public only so that the exported facade can
 * reach it.
 *
 * @param changes  which credentials and owners changed, in any process; caught up with on every request
 * @param maxBytes memory the kept answers may take, roughly; 0 keeps none
 */
public record AnswerCaching(ChangeFeed changes, long maxBytes) {

    public AnswerCaching {
        if (changes == null || maxBytes < 0) {
            throw new IllegalArgumentException("a change feed and a size of at least 0 are required");
        }
    }
}
