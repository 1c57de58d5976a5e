package io.granary.app;

import io.granary.adapter.http.MountedPages;
import io.granary.provider.sandbox.SandboxServer;
import java.util.List;

/**
 * Mounts the simulated Sandbox provider's server on the HTTP adapter. The two know nothing of each other (the sandbox
 * module needs only the JDK and the SPI, the adapter no provider); this class translates one's request and answer
 * types into the other's.
 */
final class SandboxPages implements MountedPages {

    private final SandboxServer server;

    SandboxPages(SandboxServer server) {
        this.server = server;
    }

    @Override
    public List<String> routes() {
        return SandboxServer.ROUTES.stream().map(r -> r.method() + " " + r.path()).toList();
    }

    @Override
    public Answer handle(Request request) {
        SandboxServer.Answer answer = server.handle(new SandboxServer.Request(request.method(), request.path(),
                request.query(), request.form(), request.authorization()));
        if (answer instanceof SandboxServer.Page page) {
            return new Page(page.status(), page.title(), page.html());
        }
        if (answer instanceof SandboxServer.JsonAnswer json) {
            return new JsonAnswer(json.status(), json.body());
        }
        if (answer instanceof SandboxServer.Redirect redirect) {
            return new Redirect(redirect.location());
        }
        SandboxServer.Refusal refusal = (SandboxServer.Refusal) answer;
        return new Refusal(refusal.status(), refusal.detail());
    }
}
