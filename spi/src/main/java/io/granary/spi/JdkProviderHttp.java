package io.granary.spi;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Provider calls over {@link java.net.http.HttpClient}, with a connect and a whole-request timeout.
 *
 * <p>Host side: a provider never builds one, it uses the {@link RefreshContext#http()} it is handed. It lives in the
 * SPI so that the host and the test kit run providers through the very same client, without the kit (and so every
 * provider's tests) depending on Granary's core.
 */
public final class JdkProviderHttp implements ProviderHttp {

    private final HttpClient client;
    private final Duration requestTimeout;

    public JdkProviderHttp(Duration connectTimeout, Duration requestTimeout) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.requestTimeout = requestTimeout;
    }

    @Override
    public ProviderResponse send(ProviderRequest request) {
        HttpRequest.BodyPublisher body = request.body() == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(request.body());
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri())
                .timeout(requestTimeout)
                .method(request.method(), body);
        request.headers().forEach(builder::header);
        try {
            HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new ProviderResponse(response.statusCode(), response.headers().map(), response.body());
        } catch (HttpTimeoutException e) {
            throw new ProviderUnreachableException("no answer from " + request.uri().getHost() + " within " + requestTimeout.toSeconds() + " s", e);
        } catch (IOException e) {
            throw new ProviderUnreachableException("could not reach " + request.uri().getHost() + ": " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderUnreachableException("interrupted while calling " + request.uri().getHost(), e);
        }
    }
}
