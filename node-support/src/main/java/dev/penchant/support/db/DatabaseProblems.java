package dev.penchant.support.db;

import dev.penchant.support.problem.ProblemMappers;
import io.vertx.pgclient.PgException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The reactive client's database errors: a NUL character that slipped past input validation is the
 * client's error (400), anything else a 500 with a reference id. The safety net behind the parsers'
 * own checks.
 */
public class DatabaseProblems {
    @ServerExceptionMapper
    public Response database(PgException e, UriInfo uri) {
        return ProblemMappers.unexpected(e, e.getSqlState(), uri == null ? null : "/" + uri.getPath().replaceFirst("^/", ""));
    }
}
