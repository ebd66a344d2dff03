#!/usr/bin/env python3
"""Reference values for the experiment-stats tests, computed independently of the Java engine.

Writes ../resources/reference/distributions.json and ../resources/reference/analyses.json; the Java
tests read them, so CI needs no Python. Rerun after changing a case:

    python3 experiment-stats/src/test/python/reference_values.py

Distribution values come from scipy.stats; ln Γ and ln B from mpmath at 40 digits (scipy's betaln
takes differences of gammaln and loses ~1e-10 relative at a = 5e5). The analyses start from raw per-user data drawn with a
seeded numpy generator (aggregated here into the sums the engine gets) and are computed from the raw
data with scipy and straightforward formulas, written out again here rather than shared with the
engine:
- absolute lift: scipy.stats.ttest_ind(equal_var=False) on the raw values (means), or
  ttest_ind_from_stats with gbstats' per-unit variances (proportions: p(1-p); ratios: the delta
  method, computed as var(m - R d) / mean(d)^2, an equivalent form of gbstats' variance_of_ratios);
- relative lift: (mT - mC)/|mC| with the delta-method variance, Welch-Satterthwaite df, scipy t;
- sequential: Waudby-Smith et al. eq. 9 half-width; the p-value is found by root-finding the alpha at
  which the confidence sequence touches zero (brentq), not from the e-value formula the engine uses;
- Bayesian: scipy.stats.norm; the risks (expected losses) by mpmath quadrature of the posterior;
- SRM: scipy.stats.chisquare over the variants with weight > 0.
"""
import json
import math
import os

import mpmath
import numpy as np
from scipy import optimize, stats

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "resources", "reference")


# ---------------------------------------------------------------- distributions

def distributions():
    t_values = [-40, -5, -2.5, -1.96, -1, -0.1, 0, 0.3, 1, 2, 3.7, 8, 30]
    dfs = [1, 1.5, 2, 3, 5, 9.7, 30, 100, 999, 1234.5, 1e5, 3e6, 1e8]
    probabilities = [1e-12, 1e-6, 0.001, 0.01, 0.025, 0.05, 0.2, 0.5, 0.8, 0.95, 0.975, 0.995, 0.999999]
    return {
        "studentTCdf": [{"x": t, "df": df, "expected": float(stats.t.cdf(t, df))}
                        for t in t_values for df in dfs],
        "studentTTwoSidedP": [{"x": t, "df": df, "expected": float(2 * stats.t.sf(abs(t), df))}
                              for t in t_values if t != 0 for df in dfs],
        "studentTQuantile": [{"x": p, "df": df, "expected": float(stats.t.ppf(p, df))}
                             for p in probabilities for df in dfs],
        "normalCdf": [{"x": z, "expected": float(stats.norm.cdf(z))}
                      for z in [-38, -30, -20, -10, -5, -3, -1.96, -1, -0.5, -1e-3, 0, 1e-8, 0.7, 1.5, 3, 6, 9]],
        "normalQuantile": [{"x": p, "expected": float(stats.norm.ppf(p))}
                           for p in [1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.02, 0.02425, 0.03, 0.1,
                                     0.3, 0.5, 0.6, 0.9, 0.975, 0.999, 1 - 1e-10]],
        "chiSquaredSurvival": [{"x": x, "df": df, "expected": float(stats.chi2.sf(x, df))}
                               for x in [0.001, 0.5, 1, 3.84, 10, 32, 100, 500] for df in [1, 2, 3, 4, 7, 10, 50]],
        "lnGamma": [{"x": x, "expected": float(mpmath.loggamma(x))}
                    for x in [0.01, 0.5, 1, 1.5, 2, 3.3, 9.99, 10, 10.01, 50, 1e3, 1e6]],
        "lnBeta": [{"x": a, "df": b, "expected": float(mpmath.log(mpmath.beta(a, b)))}
                   for a, b in [(0.5, 0.5), (3, 4.5), (20, 30), (12.5, 0.5), (617.25, 0.5), (5e5, 0.5), (1.5e6, 0.5),
                                (1e4, 2e4)]],
    }


# ---------------------------------------------------------------- analyses

def welch_df(v_c, n_c, v_t, n_t):
    a, b = v_c / n_c, v_t / n_t
    return (a + b) ** 2 / (b ** 2 / (n_t - 1) + a ** 2 / (n_c - 1))


def sequential(estimate, variance, n, alpha, tuning):
    def rho_of(a):
        return math.sqrt((-2 * math.log(a) + math.log(-2 * math.log(a) + 1)) / tuning)

    def half_width(a):
        rho = rho_of(alpha)  # rho is fixed by the configured alpha; only the level varies below
        s2 = variance * n
        return math.sqrt(s2) * math.sqrt(2 * (n * rho ** 2 + 1) * math.log(math.sqrt(n * rho ** 2 + 1) / a) / (n * rho) ** 2)

    hw = half_width(alpha)
    # smallest level whose sequence excludes zero: half_width(level) = |estimate|
    gap = lambda a: half_width(a) - abs(estimate)
    if gap(1.0) >= 0:
        p = 1.0
    elif gap(1e-300) <= 0:
        p = 0.0
    else:
        # solve in log(alpha) for precision when p is tiny
        log_p = optimize.brentq(lambda la: gap(math.exp(la)), math.log(1e-300), 0.0, xtol=1e-14, rtol=1e-15)
        p = math.exp(log_p)
    return {"ciLower": estimate - hw, "ciUpper": estimate + hw, "pValue": p}


def bayesian(mu, sigma, alpha):
    lower, upper = stats.norm.ppf([alpha / 2, 1 - alpha / 2], loc=mu, scale=sigma)
    # risk = E[max(0, lift)] and E[max(0, -lift)] by quadrature at 40 digits: gbstats' scipy truncnorm
    # form, (1 - P(lift < 0)) * E[lift | lift > 0], loses ~1e-8 relative when |mu/sigma| is near 6
    m, s = mpmath.mpf(mu), mpmath.mpf(sigma)
    density = lambda x: mpmath.npdf(x, m, s)
    risk_control = mpmath.quad(lambda x: x * density(x), [0, m if m > 0 else 0, mpmath.inf])
    risk_treatment = mpmath.quad(lambda x: -x * density(x), [-mpmath.inf, m if m < 0 else 0, 0])
    return {"chanceToWin": float(stats.norm.sf(0, loc=mu, scale=sigma)), "ciLower": float(lower), "ciUpper": float(upper),
            "riskControl": float(risk_control), "riskTreatment": float(risk_treatment)}


def lift_figures(estimate, se, df, alpha):
    t = estimate / se
    half = stats.t.ppf(1 - alpha / 2, df) * se
    return {"lift": estimate, "ciLower": estimate - half, "ciUpper": estimate + half,
            "pValue": float(2 * stats.t.sf(abs(t), df))}


def compare(control, treatment, alpha, tuning, absolute_test):
    """control/treatment: dicts with n, mean, var (per unit). absolute_test: scipy result for the absolute lift."""
    m_c, v_c, n_c = control["mean"], control["var"], control["n"]
    m_t, v_t, n_t = treatment["mean"], treatment["var"], treatment["n"]
    df = welch_df(v_c, n_c, v_t, n_t)
    abs_est = m_t - m_c
    abs_se = math.sqrt(v_c / n_c + v_t / n_t)
    absolute = lift_figures(abs_est, abs_se, df, alpha)
    # the p-value from scipy's own Welch test, the CI from its interval where it has one
    absolute["pValue"] = float(absolute_test.pvalue)
    if hasattr(absolute_test, "confidence_interval"):
        ci = absolute_test.confidence_interval(confidence_level=1 - alpha)
        absolute["ciLower"], absolute["ciUpper"] = float(ci.low), float(ci.high)
    rel_est = (m_t - m_c) / abs(m_c)
    rel_var = v_t / (n_t * m_c ** 2) + v_c * m_t ** 2 / (n_c * m_c ** 4)
    relative = lift_figures(rel_est, math.sqrt(rel_var), df, alpha)
    return {"relative": relative, "absolute": absolute,
            "sequential": sequential(rel_est, rel_var, n_c + n_t, alpha, tuning),
            "bayesian": bayesian(rel_est, math.sqrt(rel_var), alpha)}


def compare_from_stats(stats_, alpha, tuning):
    """Each treatment against the control, the absolute p-value from scipy's Welch test on the per-unit stats."""
    control = stats_[0]
    return [compare(control, s, alpha, tuning,
                    stats.ttest_ind_from_stats(s["mean"], math.sqrt(s["var"]), s["n"], control["mean"],
                                               math.sqrt(control["var"]), control["n"], equal_var=False))
            for s in stats_[1:]]


def srm(users, weights):
    kept = [(u, w) for u, w in zip(users, weights) if w > 0]
    observed = np.array([u for u, _ in kept], dtype=float)
    w = np.array([w for _, w in kept], dtype=float)
    expected = w / w.sum() * observed.sum()
    p = float(stats.chisquare(observed, expected).pvalue)
    return {"pValue": p, "mismatch": p < 0.001}


def mean_case(name, arrays, weights, alpha=0.05, tuning=5000):
    variants, stats_ = [], []
    for i, (x, w) in enumerate(zip(arrays, weights)):
        variants.append({"name": "control" if i == 0 else f"treatment{i}", "weight": w, "users": int(len(x)),
                         "sum": float(x.sum()), "sumSquares": float((x * x).sum())})
        stats_.append({"n": len(x), "mean": float(x.mean()), "var": float(x.var(ddof=1))})
    expected = [compare(stats_[0], s, alpha, tuning, stats.ttest_ind(arrays[i], arrays[0], equal_var=False))
                for i, s in enumerate(stats_) if i > 0]
    return finish(name, "mean", alpha, tuning, variants, stats_, expected)


def mean_case_from_sums(name, variants, alpha=0.05, tuning=5000):
    stats_ = []
    for v in variants:
        n = v["users"]
        mean = v["sum"] / n
        stats_.append({"n": n, "mean": mean, "var": (v["sumSquares"] - n * mean * mean) / (n - 1)})
    expected = compare_from_stats(stats_, alpha, tuning)
    return finish(name, "mean", alpha, tuning, variants, stats_, expected)


def proportion_case(name, users, converted, weights, alpha=0.05, tuning=5000):
    variants, stats_ = [], []
    for i, (n, k, w) in enumerate(zip(users, converted, weights)):
        variants.append({"name": "control" if i == 0 else f"treatment{i}", "weight": w, "users": n, "sum": float(k)})
        p = k / n
        stats_.append({"n": n, "mean": p, "var": p * (1 - p)})
    expected = compare_from_stats(stats_, alpha, tuning)
    return finish(name, "proportion", alpha, tuning, variants, stats_, expected)


def ratio_case(name, pairs, weights, alpha=0.05, tuning=5000):
    variants, stats_ = [], []
    for i, ((m, d), w) in enumerate(zip(pairs, weights)):
        variants.append({"name": "control" if i == 0 else f"treatment{i}", "weight": w, "users": int(len(m)),
                         "sum": float(m.sum()), "sumSquares": float((m * m).sum()),
                         "denominatorSum": float(d.sum()), "denominatorSumSquares": float((d * d).sum()),
                         "sumProduct": float((m * d).sum())})
        ratio = m.sum() / d.sum()
        var = np.var(m - ratio * d, ddof=1) / d.mean() ** 2
        stats_.append({"n": len(m), "mean": float(ratio), "var": float(var)})
    expected = compare_from_stats(stats_, alpha, tuning)
    return finish(name, "ratio", alpha, tuning, variants, stats_, expected)


def finish(name, metric, alpha, tuning, variants, stats_, comparisons):
    return {"name": name,
            "request": {"metric": metric, "alpha": alpha, "sequentialTuning": tuning, "variants": variants},
            "expected": {"srm": srm([v["users"] for v in variants], [v["weight"] for v in variants]),
                         "means": [s["mean"] for s in stats_],
                         "comparisons": comparisons}}


def analyses():
    rng = np.random.default_rng(20240611)
    cases = []
    # the command line's example from the brief, aggregates only
    cases.append(mean_case_from_sums("brief example", [
        {"name": "control", "weight": 0.5, "users": 1000, "sum": 812.0, "sumSquares": 2950.5},
        {"name": "treatment", "weight": 0.5, "users": 1010, "sum": 901.0, "sumSquares": 3302.0}]))

    def revenue(n, spend_rate, scale):
        buys = rng.random(n) < spend_rate
        return np.where(buys, rng.lognormal(mean=math.log(scale), sigma=1.0, size=n), 0.0)

    cases.append(mean_case("revenue, three variants", [revenue(3000, 0.3, 20), revenue(3100, 0.31, 21),
                                                       revenue(2950, 0.3, 23)], [0.34, 0.33, 0.33]))
    cases.append(mean_case("profit with a negative control mean, alpha 0.1, N* 2000",
                           [rng.normal(-0.8, 3.0, 800), rng.normal(-0.5, 3.5, 820)], [1, 1], alpha=0.1, tuning=2000))
    cases.append(mean_case("small unequal arms", [rng.normal(10, 2, 12), rng.normal(11, 5, 7)], [0.5, 0.5]))
    cases.append(proportion_case("conversion 10% vs 11%", [10000, 10050], [1000, 1105], [0.5, 0.5]))
    cases.append(proportion_case("small proportion, alpha 0.1, N* 200", [50, 60], [7, 15], [0.5, 0.5],
                                 alpha=0.1, tuning=200))
    cases.append(proportion_case("two million users per arm", [2_000_000, 2_001_234], [100_000, 101_700], [1, 1]))
    cases.append(proportion_case("skewed split trips SRM", [10400, 9600], [1040, 970], [0.5, 0.5]))
    cases.append(proportion_case("a zero-weight variant stays out of SRM", [5000, 5100, 40], [400, 420, 3],
                                 [0.5, 0.5, 0.0]))

    def clicks(n, ctr):
        exposures = 1 + rng.poisson(3, n)
        return rng.binomial(exposures, ctr).astype(float), exposures.astype(float)

    cases.append(ratio_case("clicks per exposure", [clicks(4000, 0.10), clicks(4000, 0.11)], [0.5, 0.5]))
    cases.append(ratio_case("clicks per exposure, three variants, alpha 0.01",
                            [clicks(1500, 0.2), clicks(1450, 0.2), clicks(1550, 0.17)], [1, 1, 1], alpha=0.01))
    return cases


def main():
    mpmath.mp.dps = 40
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "distributions.json"), "w") as f:
        json.dump(distributions(), f, indent=1)
        f.write("\n")
    with open(os.path.join(OUT, "analyses.json"), "w") as f:
        json.dump(analyses(), f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
