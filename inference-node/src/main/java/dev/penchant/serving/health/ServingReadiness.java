package dev.penchant.serving.health;

import dev.penchant.serving.catalog.ItemCatalog;
import dev.penchant.serving.models.LoadedModel;
import dev.penchant.serving.models.ModelHolder;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.stream.Collectors;

/**
 * Ready while the node can answer at all: a loaded model, or a trending list read at least once (even
 * an empty one: an empty platform is a valid answer). The database being away alone does not make
 * the node unready, since both survive in memory; the datasource health check is off for that reason.
 */
@Readiness
@ApplicationScoped
public class ServingReadiness implements HealthCheck {
    private final ModelHolder models;
    private final ItemCatalog catalog;

    public ServingReadiness(ModelHolder models, ItemCatalog catalog) {
        this.models = models;
        this.catalog = catalog;
    }

    @Override
    public HealthCheckResponse call() {
        boolean model = models.hasModel();
        ItemCatalog.Trending t = catalog.trending();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("recommendations")
                .status(model || t.readAt() != null)
                .withData("models", models.loaded().stream().map(LoadedModel::toString).collect(Collectors.joining(", ")))
                .withData("trendingItems", t.items().size())
                .withData("catalogItems", catalog.items().byId().size());
        if (!models.failedIds().isEmpty()) b.withData("failedModelIds", models.failedIds().toString());
        return b.build();
    }
}
