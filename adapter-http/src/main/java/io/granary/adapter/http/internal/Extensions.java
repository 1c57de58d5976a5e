package io.granary.adapter.http.internal;

import io.granary.core.port.in.OAuthHelperUseCase;

/**
 * Optional route groups beyond the Leaf user and credential API; a null member leaves its routes out.
 * One parameter, so each new group changes the Server's constructor once, not once per use case.
 */
public record Extensions(OAuthHelperUseCase oauthHelper) {

    public static Extensions none() {
        return new Extensions(null);
    }
}
