#!/usr/bin/env bash
# Training benchmark (see README.md). Build first: ./mvnw -B -pl penchant-cli -am package -DskipTests
# Usage: bench/train/run.sh [ML-100K dir] [TrainBench args...]
exec "$(dirname "$0")/../java-bench.sh" train TrainBench "$@"
