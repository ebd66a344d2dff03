package dev.penchant.admin;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;

/**
 * platform-api as the console calls it (a typed REST client, built in {@link PlatformClient}). Every
 * call carries the caller's own credential, so platform-api checks each action's role again.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface PlatformApi {
    record Login(String username, String password) {
    }

    record Session(String token, String username, List<String> roles, Instant expiresAt) {
    }

    record Me(String principal, String kind, List<String> roles, Instant expiresAt) {
    }

    record Overview(long users, long items, long events, long queuedJobs, long runningJobs, long models,
                    long promotedModels, long openPrivacyRequests) {
    }

    @POST
    @Path("/auth/sessions")
    Uni<Session> login(Login body);

    @GET
    @Path("/auth/session")
    Uni<Me> me(@HeaderParam("Authorization") String authorization, @HeaderParam("X-API-Key") String apiKey);

    @DELETE
    @Path("/auth/session")
    Uni<Void> logout(@HeaderParam("Authorization") String authorization);

    @GET
    @Path("/admin/overview")
    Uni<Overview> overview(@HeaderParam("Authorization") String authorization, @HeaderParam("X-API-Key") String apiKey);
}
