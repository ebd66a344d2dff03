#!/usr/bin/env bash
# Self-attention serving graph vs the full graph, same weights (see README.md).
# Build first: ./mvnw -B -pl penchant-cli -am package -DskipTests
# Usage: bench/attention/run.sh [ML-100K dir] [threads=16] [seconds=10] [rounds=3]
exec "$(dirname "$0")/../java-bench.sh" attention AttentionServingBench "$@"
