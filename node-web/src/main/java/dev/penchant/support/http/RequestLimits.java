package dev.penchant.support.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.penchant.support.problem.Problem;
import dev.penchant.support.problem.Problems;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The request-size limits, answered with problem+json: a URI longer than {@link #MAX_URI_LENGTH}
 * gets 414 and a declared body larger than quarkus.http.limits.max-body-size gets 413, from the first
 * route of the router, before Quarkus's own limit handlers (which answer with an empty body). Vert.x
 * itself only refuses request lines past quarkus.http.limits.max-initial-line-length (set far above
 * this limit in node-web's configuration), so every URI a client can plausibly send meets this route.
 */
@Singleton
public class RequestLimits {
    public static final int MAX_URI_LENGTH = 8 * 1024;

    void install(@Observes Router router, ObjectMapper mapper,
                 @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> maxBody) {
        long limit = maxBody.map(MemorySize::asLongValue).orElse(10_240L * 1024);
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String uri = ctx.request().uri();
            if (uri.length() > MAX_URI_LENGTH) {
                send(ctx, mapper, 414, "URI longer than " + MAX_URI_LENGTH + " characters; send large inputs in a body");
                return;
            }
            String length = ctx.request().getHeader("Content-Length");
            if (length != null && declaredLength(length) > limit) {
                send(ctx, mapper, 413, "Body larger than " + limit + " bytes");
                return;
            }
            ctx.next();
        });
    }

    private static long declaredLength(String header) {
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            return -1; // Vert.x refuses a malformed Content-Length on its own
        }
    }

    private static void send(RoutingContext ctx, ObjectMapper mapper, int status, String detail) {
        String path = ctx.request().path();
        Problem p = new Problem(Problems.type(status), Problems.reason(status), status, detail,
                path == null || path.length() > 200 ? null : path, null);
        try {
            ctx.response().setStatusCode(status).putHeader("Content-Type", Problem.MEDIA_TYPE)
                    // the body (if any) is not read: close after answering, as Quarkus does for 413
                    .putHeader("Connection", "close")
                    .end(Buffer.buffer(mapper.writeValueAsBytes(p)))
                    .onComplete(done -> ctx.request().connection().close());
        } catch (Exception e) {
            ctx.fail(e);
        }
    }
}
