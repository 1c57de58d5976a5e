package io.granary.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** Optional HTTPS from a PKCS12 key store: {@code GRANARY_TLS_KEYSTORE} and {@code GRANARY_TLS_KEYSTORE_PASSWORD}. */
final class Tls {

    private Tls() {
    }

    /** The server's TLS context, or null when no key store is configured (plain HTTP, e.g. behind a proxy). */
    static SSLContext fromSettings(Settings settings) {
        String file = settings.get("GRANARY_TLS_KEYSTORE");
        if (file == null) {
            return null;
        }
        String password = settings.get("GRANARY_TLS_KEYSTORE_PASSWORD");
        if (password == null) {
            throw new IllegalStateException("GRANARY_TLS_KEYSTORE is set but GRANARY_TLS_KEYSTORE_PASSWORD is not");
        }
        char[] secret = password.toCharArray();
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, secret);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, secret);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            // The class name says enough (wrong password, not PKCS12, missing file); the message might quote input.
            throw new IllegalStateException("cannot load the PKCS12 key store GRANARY_TLS_KEYSTORE " + file
                    + " (" + e.getClass().getSimpleName() + "): check the file and GRANARY_TLS_KEYSTORE_PASSWORD");
        }
    }
}
