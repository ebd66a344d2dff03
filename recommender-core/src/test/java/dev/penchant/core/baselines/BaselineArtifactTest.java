package dev.penchant.core.baselines;

import dev.penchant.core.artifact.ArtifactFormats;
import dev.penchant.core.artifact.ModelArchive;
import dev.penchant.core.artifact.ServableModel;
import dev.penchant.core.data.Dataset;
import dev.penchant.core.data.SyntheticSequences;
import dev.penchant.core.model.Exportable;
import dev.penchant.core.model.Hyperparameters;
import dev.penchant.core.model.ModelCatalog;
import dev.penchant.core.model.ProgressListener;
import dev.penchant.core.model.Recommender;
import dev.penchant.core.model.TrainingContext;
import dev.penchant.core.preprocess.HistoryRules;
import dev.penchant.core.split.Splitter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A baseline exported, zipped, unzipped and opened through the format SPI scores exactly as the fitted one. */
class BaselineArtifactTest {
    @Test
    void servedBaselinesScoreLikeTheOfflineOnes() throws Exception {
        int items = 40;
        Dataset d = SyntheticSequences.dataset("syn", SyntheticSequences.sequences(60, items, 5, 15, 0.7, 3), items);
        Random rng = new Random(9);
        int[][] histories = new int[50][];
        for (int i = 0; i < histories.length; i++) {
            histories[i] = new int[1 + rng.nextInt(12)];
            for (int t = 0; t < histories[i].length; t++) histories[i][t] = rng.nextInt(items);
        }
        int[] users = new int[histories.length];
        for (String name : new String[]{"popularity", "transition", "seqknn"}) {
            Hyperparameters hp = Hyperparameters.empty();
            Path dir = Files.createTempDirectory("baseline-artifact");
            try (Recommender r = ModelCatalog.create(name, hp)) {
                r.fit(new TrainingContext(d, Splitter.leaveOneOut(d.interactions(), d.numItems()), hp, 1, ProgressListener.NONE, null));
                ((Exportable) r).export(dir.resolve("export"), Map.of("hr@10", 0.5), HistoryRules.none());
                ByteArrayOutputStream zip = new ByteArrayOutputStream();
                ModelArchive.zip(dir.resolve("export"), zip);
                ModelArchive.unzip(new ByteArrayInputStream(zip.toByteArray()), dir.resolve("served"));
                assertEquals(BaselineArtifact.FORMAT, ArtifactFormats.formatOf(dir.resolve("served")));
                float[][] offline = r.scoreAll(users, histories);
                try (ServableModel m = ArtifactFormats.open(dir.resolve("served"))) {
                    assertEquals(items, m.numItems());
                    assertEquals(d.items().ids(), m.items().ids());
                    ServableModel.Scored served = m.score(users, histories);
                    for (int i = 0; i < histories.length; i++) assertArrayEquals(offline[i], served.scores()[i], name + " row " + i);
                    assertTrue(m.canPersonalise(-1, new dev.penchant.core.preprocess.HistoryEncoder.Encoded(new int[]{1}, 1, 1, false)));
                    assertEquals(name.equals("popularity"), m.canPersonalise(-1, dev.penchant.core.preprocess.HistoryEncoder.Encoded.EMPTY));
                    assertFalse(m.explains());
                }
            } finally {
                ModelArchive.deleteTree(dir);
            }
        }
    }
}
