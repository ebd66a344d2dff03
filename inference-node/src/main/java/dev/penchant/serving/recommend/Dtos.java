package dev.penchant.serving.recommend;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** Request and response bodies of the recommendation endpoints. */
public final class Dtos {
    private Dtos() {
    }

    /** Which model version answered; null in a response when none did (trending fallback). */
    public record ModelRef(String name, int version) {
    }

    /** A history item that contributed to a recommendation, with its weight (attention, or content cosine). */
    public record Because(String itemId, double weight) {
    }

    public record ScoredItem(String itemId, double score,
                             @JsonInclude(JsonInclude.Include.NON_NULL) List<Because> because) {
    }

    /** The experiment and variant a request was assigned to. */
    public record ExperimentRef(String key, String variant) {
    }

    /**
     * @param recommendationId a fresh uuid per answer (fallbacks too); clients send it back on events
     * @param fallback         true when the answer did not come from a model with the user's fresh history
     * @param fallbackReason   no-model, cold-start, history-unavailable, scoring-failed; absent otherwise
     * @param experiment       the assigned experiment and variant; absent when the request was not assigned
     */
    public record RecommendationResponse(String recommendationId, String userId, ModelRef model, boolean fallback,
                                         @JsonInclude(JsonInclude.Include.NON_NULL) String fallbackReason,
                                         @JsonInclude(JsonInclude.Include.NON_NULL) ExperimentRef experiment,
                                         List<ScoredItem> items) {
        /** An answer before routing facts are added. */
        public RecommendationResponse(String userId, ModelRef model, boolean fallback, String fallbackReason, List<ScoredItem> items) {
            this(null, userId, model, fallback, fallbackReason, null, items);
        }

        public RecommendationResponse served(String id, ExperimentRef exp) {
            return new RecommendationResponse(id, userId, model, fallback, fallbackReason, exp, items);
        }
    }

    /**
     * POST /v1/recommendations: a session; recentItems oldest first. userId (optional, a signed-in
     * user's session) makes the request assignable to an experiment and names the exposure's user.
     */
    public record SessionRequest(List<String> recentItems, Integer k, String category, Boolean excludeSeen,
                                 Boolean excludeUnavailable, String userId) {
    }

    /** @param method embedding (cosine of the model's item embeddings) or content (TF-IDF + categories) */
    public record SimilarResponse(String recommendationId, String itemId, String method, ModelRef model,
                                  @JsonInclude(JsonInclude.Include.NON_NULL) ExperimentRef experiment,
                                  List<ScoredItem> items) {
        public SimilarResponse(String itemId, String method, ModelRef model, List<ScoredItem> items) {
            this(null, itemId, method, model, null, items);
        }

        public SimilarResponse served(String id, ExperimentRef exp) {
            return new SimilarResponse(id, itemId, method, model, exp, items);
        }
    }

    /** Validated options of one request. */
    public record Query(int k, String category, boolean excludeSeen, boolean excludeUnavailable) {
    }
}
