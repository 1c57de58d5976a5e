package io.granary.adapter.http.internal;

import java.util.function.LongSupplier;

/**
 * Settings of the credential answer cache ({@link AnswerCache}). Public only so that the exported facade can reach it.
 *
 * @param changeStamps differs from every earlier value once anything stored changed, in any process; never blocks
 * @param maxBytes     memory the kept answers may take, roughly
 */
public record AnswerCaching(LongSupplier changeStamps, long maxBytes) {

    public AnswerCaching {
        if (changeStamps == null || maxBytes <= 0) {
            throw new IllegalArgumentException("a change stamp source and a positive size are required");
        }
    }
}
