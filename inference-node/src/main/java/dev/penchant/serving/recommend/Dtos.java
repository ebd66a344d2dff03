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

    /**
     * @param fallback       true when the answer did not come from a model with the user's fresh history
     * @param fallbackReason no-model, cold-start, history-unavailable, scoring-failed; absent otherwise
     */
    public record RecommendationResponse(String userId, ModelRef model, boolean fallback,
                                         @JsonInclude(JsonInclude.Include.NON_NULL) String fallbackReason,
                                         List<ScoredItem> items) {
    }

    /** POST /v1/recommendations: an anonymous session; recentItems oldest first. */
    public record SessionRequest(List<String> recentItems, Integer k, String category, Boolean excludeSeen,
                                 Boolean excludeUnavailable) {
    }

    /** @param method embedding (cosine of the model's item embeddings) or content (TF-IDF + categories) */
    public record SimilarResponse(String itemId, String method, ModelRef model, List<ScoredItem> items) {
    }

    /** Validated options of one request. */
    public record Query(int k, String category, boolean excludeSeen, boolean excludeUnavailable) {
    }
}
