package dev.penchant.core.model;

import dev.penchant.core.settings.InvalidSettingsException;
import dev.penchant.core.settings.SettingProblem;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The catalogue's declarations and the one validation, on a class path without TensorFlow. */
class ModelCatalogTest {

    private static SettingProblem only(List<SettingProblem> problems) {
        assertEquals(1, problems.size(), problems.toString());
        return problems.get(0);
    }

    @Test
    void declaresEveryModelWithoutTheirCode() {
        assertEquals(List.of("popularity", "transition", "itemknn", "seqknn", "dnn", "neumf", "gan", "sasrec", "din", "bilstm"),
                ModelCatalog.known());
        assertEquals(List.of("popularity", "transition", "itemknn", "seqknn"), ModelCatalog.BASELINES);
        ModelSpec sasrec = ModelCatalog.spec("sasrec");
        assertEquals(ModelSpec.Kind.TENSORFLOW, sasrec.kind());
        assertEquals("1", sasrec.param("heads").defaultValue());
        assertEquals(null, sasrec.param("window").defaultValue()); // from the data
        assertEquals("2000", sasrec.param("epochs").defaultValue()); // the trainer's setting with sasrec's default
        assertEquals("200", ModelCatalog.spec("dnn").param("epochs").defaultValue());
        assertEquals("100", ModelCatalog.spec("din").param("epochs").defaultValue());
        // one name for one idea: every model that reads a history window calls it "window"
        for (String m : List.of("dnn", "sasrec", "din", "bilstm", "gan", "seqknn")) assertTrue(ModelCatalog.spec(m).param("window") != null, m);
        for (ModelSpec s : ModelCatalog.specs())
            for (String old : List.of("history_length", "max_length")) assertEquals(null, s.param(old), s.name());
    }

    @Test
    void validSettingsPass() {
        assertEquals(List.of(), ModelCatalog.validate("sasrec", Map.of("epochs", "5", "window", "50", "heads", "2",
                "data.implicitThreshold", "4", "data.eventTypes", "rating,purchase", "split", "temporal",
                "split.test", "0.2", "eval.threads", "2", "baselines", "popularity,itemknn")));
        assertEquals(List.of(), ModelCatalog.validate("itemknn", Map.of("neighbours", "50", "baselines", "none")));
    }

    @Test
    void unknownKeysAreRefusedWithTheClosestName() {
        SettingProblem p = only(ModelCatalog.validate("dnn", Map.of("epohcs", "5")));
        assertEquals("epohcs", p.key());
        assertTrue(p.message().contains("did you mean 'epochs'"), p.message());

        p = only(ModelCatalog.validate("dnn", Map.of("data.implicitTreshold", "4")));
        assertEquals("data.implicitTreshold", p.key());
        assertTrue(p.message().contains("'data.implicitThreshold'"), p.message());

        // a data setting without its prefix
        p = only(ModelCatalog.validate("dnn", Map.of("implicitThreshold", "4")));
        assertTrue(p.message().contains("'data.implicitThreshold'"), p.message());

        // a former name says what it is called now
        p = only(ModelCatalog.validate("sasrec", Map.of("max_length", "50")));
        assertEquals("max_length", p.key());
        assertTrue(p.message().contains("'window'"), p.message());

        // another model's hyperparameter
        p = only(ModelCatalog.validate("neumf", Map.of("blocks", "2")));
        assertTrue(p.message().contains("unknown"), p.message());
    }

    @Test
    void wrongTypesAndOutOfRangeValuesNameTheKey() {
        SettingProblem p = only(ModelCatalog.validate("dnn", Map.of("epochs", "-5")));
        assertEquals("epochs", p.key());
        assertTrue(p.message().contains("1..1000000") || p.message().contains("in 1.."), p.message());

        assertEquals("dim", only(ModelCatalog.validate("sasrec", Map.of("dim", "sixty"))).key());
        assertEquals("deterministic", only(ModelCatalog.validate("dnn", Map.of("deterministic", "yes"))).key());
        assertEquals("loss", only(ModelCatalog.validate("sasrec", Map.of("loss", "hinge"))).key());
        assertEquals("hidden", only(ModelCatalog.validate("dnn", Map.of("hidden", "256,0"))).key());
        assertEquals("dropout", only(ModelCatalog.validate("sasrec", Map.of("dropout", "1.5"))).key());
        assertEquals("data.tfidfMinDf", only(ModelCatalog.validate("dnn", Map.of("data.tfidfMinDf", "0"))).key());
        assertEquals("split.test", only(ModelCatalog.validate("dnn", Map.of("split.test", "2"))).key());
        assertEquals("eval.negatives", only(ModelCatalog.validate("dnn", Map.of("eval.negatives", "x"))).key());
        assertEquals("split", only(ModelCatalog.validate("dnn", Map.of("split", "random"))).key());
        assertEquals("baselines", only(ModelCatalog.validate("dnn", Map.of("baselines", "popularity,sasrec"))).key());
        // a rule over two values
        assertEquals("heads", only(ModelCatalog.validate("sasrec", Map.of("dim", "64", "heads", "3"))).key());
        // several problems, one per key
        assertEquals(2, ModelCatalog.validate("dnn", Map.of("epochs", "0", "lr", "-1")).size());
    }

    @Test
    void unknownModelIsAProblemOfTheKeyModel() {
        SettingProblem p = only(ModelCatalog.validate("sasrek", Map.of()));
        assertEquals("model", p.key());
        assertTrue(p.message().contains("did you mean 'sasrec'"), p.message());
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class, () -> ModelCatalog.check("dnn", Map.of("epochs", "-5")));
        assertEquals("epochs", e.problems().get(0).key());
    }

    @Test
    void tensorFlowModelsAreDeclaredButNotCreatableWithoutTheirModule() {
        assertTrue(ModelCatalog.available("itemknn"));
        assertTrue(!ModelCatalog.available("sasrec")); // recommender-core's tests run without recommender-tf
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ModelCatalog.create("sasrec", Hyperparameters.empty()));
        assertTrue(e.getMessage().contains("recommender-tf"), e.getMessage());
        // bad values are refused before that
        assertThrows(InvalidSettingsException.class, () -> ModelCatalog.create("sasrec", new Hyperparameters(Map.of("epochs", "-5"))));
    }

    @Test
    void boundHyperparametersGiveDeclaredDefaultsAndRecordWhatWasUsed() {
        Hyperparameters hp = new Hyperparameters(Map.of("neighbours", "7"));
        try (Recommender r = ModelCatalog.create("itemknn", hp)) {
            assertEquals("itemknn", r.name());
        }
        assertEquals(Map.of("neighbours", 7, "shrink", 0.0), hp.used());
        assertThrows(IllegalStateException.class, () -> hp.getInt("dim")); // not declared for itemknn
    }
}
