package dev.penchant.serving.recommend;

import dev.penchant.serving.config.ServingConfig;
import dev.penchant.serving.recommend.Dtos.Query;
import dev.penchant.serving.recommend.Dtos.RecommendationResponse;
import dev.penchant.serving.recommend.Dtos.SessionRequest;
import dev.penchant.serving.recommend.Dtos.SimilarResponse;
import dev.penchant.support.problem.Problem.FieldError;
import dev.penchant.support.problem.ProblemException;
import dev.penchant.support.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.List;

/** Recommendation and similar-item endpoints; validation here, logic in the services. */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class RecommendationsResource {
    private static final int MAX_ID_LENGTH = 256;

    private final RecommendationService recommendations;
    private final SimilarItemsService similar;
    private final ServingConfig config;
    private final ServingMetrics metrics;

    public RecommendationsResource(RecommendationService recommendations, SimilarItemsService similar,
                                   ServingConfig config, ServingMetrics metrics) {
        this.recommendations = recommendations;
        this.similar = similar;
        this.config = config;
        this.metrics = metrics;
    }

    @GET
    @Path("/recommendations/{userId}")
    @RolesAllowed(Roles.SERVE)
    public Uni<RecommendationResponse> forUser(@PathParam("userId") String userId, @QueryParam("k") String k,
                                               @QueryParam("category") String category,
                                               @QueryParam("excludeSeen") String excludeSeen,
                                               @QueryParam("excludeUnavailable") String excludeUnavailable) {
        List<FieldError> errors = new ArrayList<>();
        checkId("userId", userId, errors);
        Query q = query(k, category, bool("excludeSeen", excludeSeen, errors),
                bool("excludeUnavailable", excludeUnavailable, errors), errors);
        if (!errors.isEmpty()) throw ProblemException.badRequest("Invalid request parameters", errors);
        long start = metrics.start();
        return recommendations.forUser(userId, q).invoke(r -> metrics.recommended(ServingMetrics.USER, start, r));
    }

    @POST
    @Path("/recommendations")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SERVE)
    public Uni<RecommendationResponse> forSession(SessionRequest body) {
        List<FieldError> errors = new ArrayList<>();
        if (body == null) throw ProblemException.badRequest("A JSON body is required",
                List.of(FieldError.of("recentItems", "is required")));
        List<String> recent = body.recentItems();
        if (recent == null) {
            errors.add(FieldError.of("recentItems", "is required (an empty list gets trending items)"));
        } else {
            if (recent.size() > config.recommend().maxRecentItems())
                errors.add(FieldError.of("recentItems", "at most " + config.recommend().maxRecentItems() + " items"));
            for (int i = 0; i < recent.size(); i++) checkId("recentItems[" + i + "]", recent.get(i), errors);
        }
        if (body.userId() != null) checkId("userId", body.userId(), errors);
        Query q = query(body.k() == null ? null : body.k().toString(), body.category(),
                body.excludeSeen() == null || body.excludeSeen(),
                body.excludeUnavailable() == null || body.excludeUnavailable(), errors);
        if (!errors.isEmpty()) throw ProblemException.badRequest("Invalid request body", errors);
        long start = metrics.start();
        return recommendations.forSession(body.userId(), List.copyOf(recent), q).invoke(r -> metrics.recommended(ServingMetrics.SESSION, start, r));
    }

    @GET
    @Path("/items/{itemId}/similar")
    @RolesAllowed(Roles.SERVE)
    public Uni<SimilarResponse> similar(@PathParam("itemId") String itemId, @QueryParam("k") String k,
                                        @QueryParam("excludeUnavailable") String excludeUnavailable,
                                        @QueryParam("userId") String userId) {
        List<FieldError> errors = new ArrayList<>();
        checkId("itemId", itemId, errors);
        if (userId != null) checkId("userId", userId, errors);
        boolean exclude = bool("excludeUnavailable", excludeUnavailable, errors);
        int kk = k(k, errors);
        if (!errors.isEmpty()) throw ProblemException.badRequest("Invalid request parameters", errors);
        long start = metrics.start();
        return Uni.createFrom().item(() -> similar.similar(itemId, userId, kk, exclude))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .invoke(r -> metrics.similar(start, r));
    }

    private Query query(String k, String category, boolean excludeSeen, boolean excludeUnavailable,
                        List<FieldError> errors) {
        int kk = k(k, errors);
        String cat = category == null || category.isBlank() ? null : category;
        if (cat != null && cat.length() > MAX_ID_LENGTH)
            errors.add(FieldError.of("category", "at most " + MAX_ID_LENGTH + " characters"));
        return new Query(kk, cat, excludeSeen, excludeUnavailable);
    }

    private int k(String k, List<FieldError> errors) {
        int max = config.recommend().maxK();
        if (k == null || k.isBlank()) return config.recommend().defaultK();
        try {
            int v = Integer.parseInt(k.trim());
            if (v >= 1 && v <= max) return v;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        errors.add(FieldError.of("k", "must be an integer from 1 to " + max));
        return 1;
    }

    private static boolean bool(String name, String value, List<FieldError> errors) {
        if (value == null || value.isBlank()) return true;
        if (value.equalsIgnoreCase("true")) return true;
        if (value.equalsIgnoreCase("false")) return false;
        errors.add(FieldError.of(name, "must be true or false"));
        return true;
    }

    private static void checkId(String field, String id, List<FieldError> errors) {
        if (id == null || id.isBlank()) errors.add(FieldError.of(field, "must not be blank"));
        else if (id.length() > MAX_ID_LENGTH) errors.add(FieldError.of(field, "at most " + MAX_ID_LENGTH + " characters"));
        else if (id.indexOf('\u0000') >= 0) errors.add(FieldError.of(field, dev.penchant.support.problem.ProblemMappers.NUL_MESSAGE));
    }
}
