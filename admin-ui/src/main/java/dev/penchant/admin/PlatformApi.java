package dev.penchant.admin;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * platform-api as the console calls it (a typed REST client, built in {@link PlatformClient}). Every
 * call carries the caller's own credential, so platform-api checks each action's role again and
 * audits it under the console user's name.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface PlatformApi {
    String AUTH = "Authorization";
    String KEY = "X-API-Key";

    record Login(String username, String password) {
    }

    record Session(String token, String username, List<String> roles, Instant expiresAt) {
    }

    record Me(String principal, String kind, List<String> roles, Instant expiresAt) {
    }

    record Overview(long users, long items, long events, long queuedJobs, long runningJobs, long models,
                    long promotedModels, long openPrivacyRequests) {
    }

    record Epoch(int epoch, Double loss, Map<String, Object> metrics, Instant loggedAt) {
    }

    record Job(long id, Map<String, Object> dataset, String name, String modelType, Map<String, Object> hyperparameters, long seed,
               String status, boolean cancelRequested, String workerId, int attempts, Instant heartbeatAt,
               Map<String, Object> progress, Map<String, Object> report, String error, String submittedBy,
               Instant createdAt, Instant startedAt, Instant finishedAt, Long modelId, List<Epoch> epochs) {
        public boolean live() {
            return "queued".equals(status) || "running".equals(status);
        }
    }

    record Model(long id, String name, int version, String modelType, Long jobId, Map<String, Object> dataSnapshot,
                 Map<String, Object> hyperparameters, Map<String, Object> metrics, Long artifactId, String artifactSha256,
                 Long artifactSizeBytes, String status, Instant createdAt, Instant promotedAt) {
    }

    record Param(String name, String type, String typeLabel, String defaultValue, String defaultNote, Double min,
                 Double max, List<String> choices, String allowed, String meaning) {
    }

    record ModelType(String name, String kind, String description, List<Param> parameters) {
    }

    record ApiKey(String name, List<String> roles, Instant createdAt, Instant expiresAt, Instant revokedAt,
                  Instant lastUsedAt, String createdBy) {
    }

    record CreatedKey(String name, List<String> roles, String key, Instant createdAt, Instant expiresAt) {
    }

    record ConsoleUser(String username, List<String> roles, boolean disabled, Instant lockedUntil, int failedLogins,
                       Instant createdAt, String createdBy, Instant lastLoginAt) {
    }

    record AuditEntry(long id, Instant occurredAt, String actor, String action, String subject, Map<String, Object> details) {
    }

    record AuditPage(List<AuditEntry> items, String next) {
    }

    record Variant(long id, String name, double weight, Long modelId, String baseline) {
        /** What the arm serves, as a page names it. */
        public String arm() {
            return modelId != null ? "model " + modelId : baseline + " baseline";
        }
    }

    record Experiment(String key, String hypothesis, String surface, String status, List<Variant> variants,
                      Map<String, Object> audience, String primaryMetric, List<String> guardrails,
                      String attributionWindow, String winner, String createdBy, Instant createdAt, Instant updatedAt,
                      Instant startedAt, Instant stoppedAt) {
        public boolean draft() {
            return "draft".equals(status);
        }

        public boolean running() {
            return "running".equals(status);
        }

        public boolean concludable() {
            return "running".equals(status) || "stopped".equals(status);
        }
    }

    /** One variant's totals over its users (experiment results). */
    record Totals(String name, long users, long exposures, long clicks, long conversions, double value) {
    }

    record Day(LocalDate day, List<Totals> variants, JsonNode result) {
    }

    /** GET /v1/experiments/{key}/results: per metric the statistics engine's answer (or {"error": ...}). */
    record ExperimentResults(Experiment experiment, Map<String, JsonNode> metrics, List<Totals> variants, List<Day> daily) {
    }

    record PrivacyRequest(long id, String kind, String status, String step, Instant requestedAt, Instant deadline,
                          Instant startedAt, Instant completedAt, Instant updatedAt, boolean overdue, int attempts,
                          Map<String, Object> counts, Map<String, Object> verification, String error, String requestedBy,
                          String subjectHash) {
        public boolean open() {
            return !"completed".equals(status) && !"failed".equals(status);
        }

        /** Enough of the keyed hash to tell requests apart in a list. */
        public String shortHash() {
            return subjectHash == null ? "—" : subjectHash.length() <= 12 ? subjectHash : subjectHash.substring(0, 12) + "…";
        }
    }

    record PrivacyPage(List<PrivacyRequest> items, String next) {
    }

    @POST
    @Path("/auth/sessions")
    Uni<Session> login(Login body);

    @GET
    @Path("/auth/session")
    Uni<Me> me(@HeaderParam(AUTH) String authorization, @HeaderParam(KEY) String apiKey);

    @DELETE
    @Path("/auth/session")
    Uni<Void> logout(@HeaderParam(AUTH) String authorization);

    @GET
    @Path("/admin/overview")
    Uni<Overview> overview(@HeaderParam(AUTH) String authorization, @HeaderParam(KEY) String apiKey);

    @GET
    @Path("/training-jobs")
    Uni<List<Job>> jobs(@HeaderParam(AUTH) String authorization, @HeaderParam(KEY) String apiKey,
                        @QueryParam("status") String status, @QueryParam("limit") Integer limit);

    @GET
    @Path("/training-jobs/{id}")
    Uni<Job> job(@HeaderParam(AUTH) String authorization, @HeaderParam(KEY) String apiKey, @PathParam("id") long id);

    @POST
    @Path("/training-jobs")
    Uni<Job> submitJob(@HeaderParam(AUTH) String authorization, @HeaderParam(KEY) String apiKey, Map<String, Object> body);

    @POST
    @Path("/training-jobs/{id}/cancel")
    Uni<Job> cancelJob(@HeaderParam(AUTH) String authorization, @HeaderParam(KEY) String apiKey, @PathParam("id") long id);

    @GET
    @Path("/model-types")
    Uni<List<ModelType>> modelTypes(@HeaderParam(AUTH) String authorization, @HeaderParam(KEY) String apiKey);

    @GET
    @Path("/models")
    Uni<List<Model>> models(@HeaderParam(AUTH) String authorization, @HeaderParam(KEY) String apiKey,
                            @QueryParam("name") String name, @QueryParam("status") String status,
                            @QueryParam("limit") Integer limit);

    @GET
    @Path("/models/{id}")
    Uni<Model> model(@HeaderParam(AUTH) String authorization, @HeaderParam(KEY) String apiKey, @PathParam("id") long id);

    @POST
    @Path("/models/{id}/promote")
    Uni<Model> promote(@HeaderParam(AUTH) String authorization, @HeaderParam(KEY) String apiKey, @PathParam("id") long id,
                       @QueryParam("force") Boolean force);

    @GET
    @Path("/admin/api-keys")
    Uni<List<ApiKey>> apiKeys(@HeaderParam(AUTH) String authorization, @HeaderParam(KEY) String apiKey);

    @POST
    @Path("/admin/api-keys")
    Uni<CreatedKey> createApiKey(@HeaderParam(AUTH) String authorization, @HeaderParam(KEY) String apiKey,
                                 Map<String, Object> body);

    @DELETE
    @Path("/admin/api-keys/{name}")
    Uni<Void> revokeApiKey(@HeaderParam(AUTH) String authorization, @HeaderParam(KEY) String apiKey, @PathParam("name") String name);

    @GET
    @Path("/admin/console-users")
    Uni<List<ConsoleUser>> consoleUsers(@HeaderParam(AUTH) String authorization, @HeaderParam(KEY) String apiKey);

    @POST
    @Path("/admin/console-users")
    Uni<ConsoleUser> createConsoleUser(@HeaderParam(AUTH) String authorization, @HeaderParam(KEY) String apiKey,
                                       Map<String, Object> body);

    @POST
    @Path("/admin/console-users/{username}/disable")
    Uni<ConsoleUser> disableConsoleUser(@HeaderParam(AUTH) String authorization, @HeaderParam(KEY) String apiKey,
                                        @PathParam("username") String username);

    @GET
    @Path("/admin/audit")
    Uni<AuditPage> audit(@HeaderParam(AUTH) String authorization, @HeaderParam(KEY) String apiKey,
                         @QueryParam("actor") String actor, @QueryParam("action") String action,
                         @QueryParam("since") String since, @QueryParam("until") String until,
                         @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor);

    @GET
    @Path("/experiments")
    Uni<List<Experiment>> experiments(@HeaderParam(AUTH) String authorization, @HeaderParam(KEY) String apiKey,
                                      @QueryParam("status") String status, @QueryParam("limit") Integer limit);

    @GET
    @Path("/experiments/{key}")
    Uni<Experiment> experiment(@HeaderParam(AUTH) String authorization, @HeaderParam(KEY) String apiKey,
                               @PathParam("key") String key);

    @POST
    @Path("/experiments")
    Uni<Experiment> createExperiment(@HeaderParam(AUTH) String authorization, @HeaderParam(KEY) String apiKey,
                                     Map<String, Object> body);

    @POST
    @Path("/experiments/{key}/start")
    Uni<Experiment> startExperiment(@HeaderParam(AUTH) String authorization, @HeaderParam(KEY) String apiKey,
                                    @PathParam("key") String key);

    @POST
    @Path("/experiments/{key}/stop")
    Uni<Experiment> stopExperiment(@HeaderParam(AUTH) String authorization, @HeaderParam(KEY) String apiKey,
                                   @PathParam("key") String key);

    @POST
    @Path("/experiments/{key}/promote-winner")
    Uni<Experiment> promoteWinner(@HeaderParam(AUTH) String authorization, @HeaderParam(KEY) String apiKey,
                                  @PathParam("key") String key, Map<String, Object> body);

    @GET
    @Path("/experiments/{key}/results")
    Uni<ExperimentResults> experimentResults(@HeaderParam(AUTH) String authorization, @HeaderParam(KEY) String apiKey,
                                             @PathParam("key") String key);

    @GET
    @Path("/privacy/requests")
    Uni<PrivacyPage> privacyRequests(@HeaderParam(AUTH) String authorization, @HeaderParam(KEY) String apiKey,
                                     @QueryParam("status") String status, @QueryParam("overdue") Boolean overdue,
                                     @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor);

    @GET
    @Path("/privacy/requests/{id}")
    Uni<PrivacyRequest> privacyRequest(@HeaderParam(AUTH) String authorization, @HeaderParam(KEY) String apiKey,
                                       @PathParam("id") long id);

    /** 202 with the request; header X-Penchant-Existing-Request: true when an open one was returned. */
    @POST
    @Path("/privacy/requests")
    Uni<RestResponse<PrivacyRequest>> createPrivacyRequest(@HeaderParam(AUTH) String authorization,
                                                           @HeaderParam(KEY) String apiKey, Map<String, Object> body);

    /** The export document, as platform-api sends it. */
    @GET
    @Path("/privacy/requests/{id}/export")
    Uni<String> privacyExport(@HeaderParam(AUTH) String authorization, @HeaderParam(KEY) String apiKey,
                              @PathParam("id") long id);
}
