package dev.penchant.serving;

import dev.penchant.serving.catalog.ItemCatalog;
import dev.penchant.serving.models.ModelHolder;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Start-up order: catalogue and trending first (the fallback), then the models. */
@ApplicationScoped
public class ServingLifecycle {
    void onStart(@Observes StartupEvent ev, ItemCatalog catalog, ModelHolder models) {
        catalog.start();
        models.start();
    }
}
