package io.granary.spi;

/**
 * What the host hands a provider to revoke the grant of a credential it has just deleted or replaced: the fields as
 * they were stored. Nothing can be saved, and the provider calls are not recorded as events (the credential and its
 * events are gone); the host logs the outcome.
 */
public interface RevokeContext extends CredentialContext {
}
