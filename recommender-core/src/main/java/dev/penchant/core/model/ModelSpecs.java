package dev.penchant.core.model;

import dev.penchant.core.settings.Param;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.penchant.core.settings.Param.choice;
import static dev.penchant.core.settings.Param.flag;
import static dev.penchant.core.settings.Param.integer;
import static dev.penchant.core.settings.Param.integers;
import static dev.penchant.core.settings.Param.number;

/**
 * The declarations of every model, the TensorFlow ones included (their code is in recommender-tf).
 * Names mean one thing across models: window = history items a model reads, dim = embedding width,
 * hidden = widths of an MLP's hidden layers, heads = attention heads, negatives = sampled negatives
 * per example, batch_size = examples (or users) per step.
 */
public final class ModelSpecs {
    private ModelSpecs() {
    }

    private static final int MAX_WINDOW = 4096;

    /** SASRec's automatic loss: the full softmax while the catalogue is at most this large. */
    public static final int SASREC_FULL_SOFTMAX_ITEMS = 8192;

    /**
     * The shared trainer's settings (every TensorFlow model trains through one loop), with a model's
     * own defaults where it needs others.
     */
    static List<Param> trainer(Map<String, String> defaults, Param... own) {
        List<Param> common = trainerSettings();
        List<Param> out = new ArrayList<>();
        for (Param p : common) out.add(defaults.containsKey(p.name()) ? p.withDefault(defaults.get(p.name())) : p);
        out.addAll(List.of(own));
        for (String k : defaults.keySet())
            if (common.stream().noneMatch(p -> p.name().equals(k))) throw new IllegalStateException("no trainer setting " + k);
        return out;
    }

    /** The shared trainer's settings with their usual defaults. */
    static List<Param> trainerSettings() {
        return List.of(
                integer("epochs", 100, 1, 1_000_000, "most epochs; early stopping usually ends training sooner"),
                integer("patience", 5, 1, 10_000, "validations without a relative gain of min_delta before training stops; "
                        + "unless given, at most patience_examples training examples' worth of validations (at least 3), so large epochs stop sooner"),
                integer("patience_examples", 1_000_000, 1, Integer.MAX_VALUE, "training examples without a gain after which the default patience ends training"),
                number("min_delta", 0.001, 0, 1, "relative gain of the validation metric that resets patience (the best weights are kept on any gain)"),
                integer("min_epochs", 0, 0, 1_000_000, "no early stop before this epoch"),
                choice("validate_metric", "NDCG@10", List.of("NDCG@5", "NDCG@10", "NDCG@20", "HR@5", "HR@10", "HR@20", "MRR"),
                        "validation metric (sampled protocol) that early stopping and the best weights follow"),
                integer("validate_every", 1, 1, 10_000, "epochs between validations")
                        .noDefault("from the data: every epoch, or enough epochs for validate_min_examples examples (at most 20)"),
                integer("validate_min_examples", 50_000, 1, 1_000_000_000, "training examples between validations on small data sets"),
                number("lr", 0.001, 1e-9, 10, "Adam learning rate"),
                integer("batch_size", 256, 1, 1_000_000, "training examples per step"),
                flag("deterministic", false, "every TensorFlow op in the calling thread: the same seed gives bit-identical weights on the CPU (uses one core)"),
                integer("threads", 0, 0, 4096, "TensorFlow threads per pool (0 = one per core)"),
                flag("profile", false, "log where training step 20 spends its time"));
    }

    static List<ModelSpec> all() {
        return List.of(
                new ModelSpec("popularity", ModelSpec.Kind.BASELINE,
                        "training popularity, the same list for every user", List.of()),
                new ModelSpec("transition", ModelSpec.Kind.BASELINE,
                        "first-order transitions out of the last history item, ties by popularity", List.of()),
                new ModelSpec("itemknn", ModelSpec.Kind.BASELINE,
                        "item-based k-nearest neighbours (cosine over training co-occurrence)", List.of(
                        integer("neighbours", 100, 1, 1_000_000, "neighbours kept per item"),
                        number("shrink", 0.0, 0, 1e9, "added to the cosine's denominator (shrinks rare pairs)"))),
                new ModelSpec("seqknn", ModelSpec.Kind.BASELINE,
                        "sequence-aware item kNN: items that follow within a few steps, scored from the newest history items with recency decay",
                        List.of(
                        integer("steps", 5, 1, 1000, "items that follow within this many steps co-occur (weighted 1 / distance)"),
                        integer("window", 10, 1, MAX_WINDOW, "history items scored from (the newest)").formerly("last_items"),
                        number("decay", 0.7, 1e-9, 1, "weight of the history item k steps back: decay^k"),
                        flag("symmetric", false, "also count the items that precede within the steps"))),
                new ModelSpec("dnn", ModelSpec.Kind.TENSORFLOW,
                        "YouTube-DNN style user tower (history mean, latest items, user embedding, side features) with sampled softmax; point-wise like/rating heads",
                        trainer(Map.of("epochs", "200"),
                                integer("dim", 64, 1, 4096, "embedding width of users and items"),
                                integer("window", 20, 1, MAX_WINDOW, "history items the model reads (the newest)").formerly("history_length"),
                                integer("recent", 1, 1, MAX_WINDOW, "newest history items averaged into the 'latest' input (at most window)"),
                                integer("negatives", 256, 1, 1_000_000, "sampled negatives per batch"),
                                integers("hidden", "256", 1, 65_536, "widths of the user tower's hidden layers"),
                                flag("user_embedding", true, "learn a user embedding (unknown users get zeros)"),
                                flag("features", true, "use user and item side features"),
                                choice("loss", "softmax", List.of("softmax", "bce"), "sampled softmax or binary cross-entropy"),
                                Param.anyNumber("like_threshold", 4.0, "value at or above which an interaction counts as liked (point-wise head)"),
                                number("l2", 0.0, 0, 100, "L2 penalty on the scored item vectors"),
                                flag("pointwise_heads", true, "train the like / rating heads")
                                        .noDefault("from the data: when the training interactions carry values").formerly("heads"))),
                new ModelSpec("neumf", ModelSpec.Kind.TENSORFLOW,
                        "NeuMF (GMF + MLP over user and item embeddings), binary cross-entropy with sampled negatives; user-based, no history",
                        // its examples count the sampled negatives (4 per positive): 5x the budget keeps patience 5 on ML-100K
                        trainer(Map.of("patience_examples", "5000000"),
                                integer("factors", 32, 1, 4096, "GMF embedding width"),
                                integers("layers", "64,32,16", 1, 65_536, "MLP widths: the concatenated embeddings, then the hidden layers"),
                                integer("negatives", 4, 1, 1000, "sampled negatives per positive"))),
                new ModelSpec("gan", ModelSpec.Kind.TENSORFLOW,
                        "CFGAN-style generator / discriminator over multi-hot histories; two optimiser steps per batch",
                        trainer(Map.of("epochs", "200", "patience", "12", "min_epochs", "40", "validate_every", "2", "batch_size", "64"),
                                integers("gen_hidden", "256", 1, 65_536, "widths of the generator's hidden layers"),
                                integers("dis_hidden", "128", 1, 65_536, "widths of the discriminator's hidden layers"),
                                integer("noise_dim", 16, 1, 4096, "width of the generator's noise input"),
                                integer("d_steps", 1, 1, 100, "discriminator steps per batch"),
                                integer("g_steps", 3, 1, 100, "generator steps per batch"),
                                number("pm_ratio", 0.5, 0, 1, "share of unobserved items the discriminator sees (partial masking)"),
                                number("zr_ratio", 0.5, 0, 1, "share of unobserved items pushed towards zero (zero reconstruction)"),
                                number("zr_weight", 0.1, 0, 1000, "weight of the zero-reconstruction loss"),
                                number("gen_lr", 0.001, 1e-9, 10, "generator learning rate").noDefault("lr"),
                                number("dis_lr", 0.001, 1e-9, 10, "discriminator learning rate").noDefault("lr"),
                                integer("window", 200, 1, MAX_WINDOW, "history items turned into the multi-hot input (the newest)")
                                        .noDefault("from the data: the longest test-time history, at most " + MAX_WINDOW).formerly("history_length"))),
                new ModelSpec("sasrec", ModelSpec.Kind.TENSORFLOW,
                        "SASRec self-attention over the history window; full softmax on small catalogues, sampled softmax with log-Q correction on large ones (or BCE); explains with attention",
                        trainer(Map.of("epochs", "2000", "patience", "10", "batch_size", "32"),
                                integer("dim", 64, 1, 4096, "embedding and hidden width"),
                                integer("window", 200, 1, MAX_WINDOW, "history items the model reads (the newest)")
                                        .noDefault("from the data: the 90th percentile of training sequence lengths, rounded up to 10, within 10..200")
                                        .formerly("max_length"),
                                integer("blocks", 2, 1, 64, "self-attention blocks"),
                                integer("heads", 1, 1, 64, "attention heads (dim must be a multiple)"),
                                number("dropout", 0.3, 0, 0.95, "dropout rate in training"),
                                choice("loss", "softmax", List.of("softmax", "sampled", "bce"),
                                        "softmax: full softmax over the catalogue; sampled: sampled softmax over `negatives` items shared by the batch, drawn by popularity^0.75 with the log-Q correction; bce: the paper's binary cross-entropy with one sampled negative per position")
                                        .noDefault("from the data: softmax up to " + SASREC_FULL_SOFTMAX_ITEMS + " items, sampled above (full-softmax cost grows with the catalogue)"),
                                integer("negatives", 1024, 1, 1_000_000, "sampled negatives per batch for loss=sampled"),
                                choice("window_sampling", "last", List.of("last", "random"), "training window per user: the last one, or one ending at a random position")
                                        .formerly("windows")),
                        new ModelSpec.Constraint("heads", "dim must be a multiple of heads",
                                v -> ((Integer) v.get("dim")) % ((Integer) v.get("heads")) == 0)),
                new ModelSpec("din", ModelSpec.Kind.TENSORFLOW,
                        "Deep Interest Network: target attention of each candidate over the history; explains per recommended item",
                        trainer(Map.of(),
                                integer("dim", 32, 1, 4096, "embedding width"),
                                integer("window", 50, 1, MAX_WINDOW, "history items the model reads (the newest)").formerly("max_length"),
                                integer("attention_hidden", 36, 1, 65_536, "width of the activation unit's hidden layer"),
                                integers("hidden", "200,80", 1, 65_536, "widths of the output MLP's hidden layers"),
                                integer("negatives", 4, 1, 1000, "sampled negatives per position"),
                                choice("loss", "bce", List.of("bce", "softmax"), "binary cross-entropy, or a sampled softmax over the negatives"),
                                flag("positions", true, "learned position embeddings on the history (recency)"))),
                new ModelSpec("bilstm", ModelSpec.Kind.TENSORFLOW,
                        "bidirectional LSTM over the history window, full softmax",
                        trainer(Map.of(),
                                integer("dim", 64, 1, 4096, "embedding width"),
                                integer("lstm_units", 64, 1, 65_536, "LSTM state width per direction").formerly("hidden"),
                                integer("window", 20, 1, MAX_WINDOW, "history items the model reads (the newest)").formerly("max_length"),
                                number("dropout", 0.2, 0, 0.95, "dropout rate in training"))));
    }
}
