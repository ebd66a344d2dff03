package dev.penchant.support.problem;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Paths that match no REST resource and no /q route fall through Quarkus REST to Vert.x, whose 404
 * is plain text; this last route answers them with a problem instead.
 */
@Singleton
public class NotFoundRoute {
    void install(@Observes Router router, ObjectMapper mapper) {
        router.route().last().handler(ctx -> {
            if (ctx.response().ended()) {
                return;
            }
            try {
                String path = ctx.normalizedPath();
                byte[] body = mapper.writeValueAsBytes(new Problem(Problems.type(404), "Not Found", 404,
                        "No resource at " + path, path, null));
                ctx.response().setStatusCode(404).putHeader("Content-Type", Problem.MEDIA_TYPE)
                        .end(io.vertx.core.buffer.Buffer.buffer(body));
            } catch (Exception e) {
                ctx.fail(e);
            }
        });
    }
}
